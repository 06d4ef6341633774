"""Hand-written BCF files in the style of other tools, using every feature of each version.

They are what Solibri, BIMcollab or a Revit plug-in would send: two topics, one with
every field (header, links, labels including a trade label, snippet, internal and
external documents, related topic, comments with and without viewpoints, two
viewpoints with selection, visibility exceptions, colours, hints, perspective and
orthogonal cameras, lines, clipping planes, bitmaps, snapshots) and one minimal.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

TOPIC_A = "7a0d7d1b-8a2b-4d7e-9d0e-5b1f0c6f1a01"
TOPIC_B = "5C7D1E2F-3A4B-4C5D-8E6F-7A8B9C0D1E2F"  # upper case, as some tools write
VP_1 = "0f1e2d3c-4b5a-4968-8776-655443322110"
VP_2 = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
COMMENT_1 = "c1000000-0000-4000-8000-000000000001"
COMMENT_2 = "c2000000-0000-4000-8000-000000000002"
COMMENT_B = "c3000000-0000-4000-8000-000000000003"
DOC_GUID = "d0c00000-0000-4000-8000-0000000000d1"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
BITMAP = b"\x89PNG\r\n\x1a\n-bitmap-"
GID_DUCT = "2O2Fr$t4X7Zf8NOew3FLOH"
GID_BEAM = "1hOSvn6df7F8_7GcBWlRGQ"
GID_WALL = "3cUkl32yn9qRSPvBJVyWYp"


def _point(name: str, x: float, y: float, z: float) -> str:
    return f"<{name}><X>{x}</X><Y>{y}</Y><Z>{z}</Z></{name}>"


def _component(gid: str, system: str | None = None, tool: str | None = None) -> str:
    inner = (f"<OriginatingSystem>{system}</OriginatingSystem>" if system else "") + (
        f"<AuthoringToolId>{tool}</AuthoringToolId>" if tool else "")
    return f'<Component IfcGuid="{gid}">{inner}</Component>'


def _write(path: Path, files: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def bcf_21(path: Path, extra: dict[str, bytes | str] | None = None) -> Path:
    """A BCF 2.1 file with every feature."""
    markup_a = f"""<?xml version="1.0" encoding="UTF-8"?>
<Markup>
  <Header>
    <File IfcProject="0YvctVUKr0kugbFTf53O9L" IfcSpatialStructureElement="2idC0G3ezCdhA9WVjWemcy" isExternal="true">
      <Filename>PLB_R+1.ifc</Filename><Date>2024-11-05T09:30:00+01:00</Date><Reference>https://x.fr/PLB.ifc</Reference>
    </File>
  </Header>
  <Topic Guid="{TOPIC_A}" TopicType="Clash" TopicStatus="Active">
    <ReferenceLink>https://x.fr/issues/17</ReferenceLink>
    <ReferenceLink>https://x.fr/plans/PLB-201</ReferenceLink>
    <Title>Réseau EU en conflit avec la poutre</Title>
    <Priority>Critical</Priority>
    <Index>17</Index>
    <Labels>Trade: PLB</Labels>
    <Labels>Structure</Labels>
    <CreationDate>2024-11-05T10:00:00.123+01:00</CreationDate>
    <CreationAuthor>jean@bet-fluides.fr</CreationAuthor>
    <ModifiedDate>2024-11-06T08:15:00Z</ModifiedDate>
    <ModifiedAuthor>marie@archi.fr</ModifiedAuthor>
    <DueDate>2024-12-01T00:00:00Z</DueDate>
    <AssignedTo>jean@bet-fluides.fr</AssignedTo>
    <Stage>EXE</Stage>
    <Description>Le réseau EU Ø100 traverse la poutre P12.
Prévoir une réservation ou dévier.</Description>
    <BimSnippet SnippetType="JSON" isExternal="false">
      <Reference>snippet.json</Reference><ReferenceSchema>https://x.fr/schema.json</ReferenceSchema>
    </BimSnippet>
    <DocumentReference Guid="e1000000-0000-4000-8000-0000000000e1" isExternal="false">
      <ReferencedDocument>../Documents/{DOC_GUID}/CCTP PLB.txt</ReferencedDocument>
      <Description>CCTP plomberie</Description>
    </DocumentReference>
    <DocumentReference Guid="e2000000-0000-4000-8000-0000000000e2" isExternal="true">
      <ReferencedDocument>https://x.fr/dtu-60.1.pdf</ReferencedDocument>
      <Description>DTU 60.1</Description>
    </DocumentReference>
    <RelatedTopic Guid="{TOPIC_B}"/>
  </Topic>
  <Comment Guid="{COMMENT_1}">
    <Date>2024-11-05T10:05:00Z</Date><Author>jean@bet-fluides.fr</Author><Comment>Vu en synthèse.</Comment>
    <Viewpoint Guid="{VP_1}"/>
    <ModifiedDate>2024-11-05T11:00:00Z</ModifiedDate><ModifiedAuthor>jean@bet-fluides.fr</ModifiedAuthor>
  </Comment>
  <Comment Guid="{COMMENT_2}">
    <Date>2024-11-06T08:15:00Z</Date><Author>marie@archi.fr</Author><Comment>Réservation demandée au lot STR.</Comment>
  </Comment>
  <Viewpoints Guid="{VP_1}">
    <Viewpoint>viewpoint.bcfv</Viewpoint><Snapshot>snapshot.png</Snapshot><Index>0</Index>
  </Viewpoints>
  <Viewpoints Guid="{VP_2}">
    <Viewpoint>{VP_2}.bcfv</Viewpoint><Index>1</Index>
  </Viewpoints>
</Markup>"""
    vp_1 = f"""<?xml version="1.0" encoding="UTF-8"?>
<VisualizationInfo Guid="{VP_1}">
  <Components>
    <ViewSetupHints SpacesVisible="true" SpaceBoundariesVisible="true" OpeningsVisible="false"/>
    <Selection>{_component(GID_DUCT, "Revit", "4711")}{_component(GID_BEAM)}</Selection>
    <Visibility DefaultVisibility="false"><Exceptions>{_component(GID_DUCT, "Revit", "4711")}{_component(GID_BEAM, "Tekla")}</Exceptions></Visibility>
    <Coloring>
      <Color Color="FF0000">{_component(GID_DUCT, "Revit", "4711")}</Color>
      <Color Color="8000FF00">{_component(GID_BEAM, "Tekla")}{_component(GID_WALL)}</Color>
    </Coloring>
  </Components>
  <PerspectiveCamera>
    {_point("CameraViewPoint", 12.5, -3.25, 7.0)}{_point("CameraDirection", 0.0, 0.7071067811865476, -0.7071067811865476)}
    {_point("CameraUpVector", 0.0, 0.0, 1.0)}<FieldOfView>55.5</FieldOfView>
  </PerspectiveCamera>
  <Lines><Line>{_point("StartPoint", 0.0, 0.0, 0.0)}{_point("EndPoint", 1.5, 2.5, 3.5)}</Line></Lines>
  <ClippingPlanes>
    <ClippingPlane>{_point("Location", 0.0, 0.0, 3.2)}{_point("Direction", 0.0, 0.0, 1.0)}</ClippingPlane>
    <ClippingPlane>{_point("Location", 10.0, 0.0, 0.0)}{_point("Direction", -1.0, 0.0, 0.0)}</ClippingPlane>
  </ClippingPlanes>
  <Bitmap><Bitmap>PNG</Bitmap><Reference>note.png</Reference>{_point("Location", 1.0, 2.0, 3.0)}
    {_point("Normal", 0.0, 0.0, 1.0)}{_point("Up", 0.0, 1.0, 0.0)}<Height>2.5</Height></Bitmap>
</VisualizationInfo>"""
    vp_2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<VisualizationInfo Guid="{VP_2}">
  <Components><Visibility DefaultVisibility="true"/></Components>
  <OrthogonalCamera>
    {_point("CameraViewPoint", 0.0, 0.0, 50.0)}{_point("CameraDirection", 0.0, 0.0, -1.0)}
    {_point("CameraUpVector", 0.0, 1.0, 0.0)}<ViewToWorldScale>42.0</ViewToWorldScale>
  </OrthogonalCamera>
</VisualizationInfo>"""
    markup_b = f"""<?xml version="1.0" encoding="UTF-8"?>
<Markup>
  <Topic Guid="{TOPIC_B}" TopicType="Issue" TopicStatus="Closed">
    <Title>Trappe de visite manquante</Title>
    <CreationDate>2024-10-01T12:00:00</CreationDate>
    <CreationAuthor>marie@archi.fr</CreationAuthor>
  </Topic>
  <Comment Guid="{COMMENT_B}"><Date>2024-10-02T12:00:00Z</Date><Author>marie@archi.fr</Author><Comment></Comment></Comment>
</Markup>"""
    extensions = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:redefine schemaLocation="markup.xsd">
    <xs:simpleType name="TopicType"><xs:restriction base="TopicType">
      <xs:enumeration value="Clash"/><xs:enumeration value="Issue"/></xs:restriction></xs:simpleType>
    <xs:simpleType name="TopicStatus"><xs:restriction base="TopicStatus">
      <xs:enumeration value="Active"/><xs:enumeration value="Closed"/></xs:restriction></xs:simpleType>
    <xs:simpleType name="TopicLabel"><xs:restriction base="TopicLabel">
      <xs:enumeration value="Structure"/><xs:enumeration value="Trade: PLB"/></xs:restriction></xs:simpleType>
    <xs:simpleType name="Priority"><xs:restriction base="Priority">
      <xs:enumeration value="Critical"/><xs:enumeration value="Minor"/></xs:restriction></xs:simpleType>
    <xs:simpleType name="UserIdType"><xs:restriction base="UserIdType">
      <xs:enumeration value="jean@bet-fluides.fr"/><xs:enumeration value="marie@archi.fr"/></xs:restriction></xs:simpleType>
    <xs:simpleType name="Stage"><xs:restriction base="Stage">
      <xs:enumeration value="EXE"/><xs:enumeration value="DOE"/></xs:restriction></xs:simpleType>
  </xs:redefine>
</xs:schema>"""
    files: dict[str, bytes | str] = {
        "bcf.version": '<?xml version="1.0"?><Version VersionId="2.1"><DetailedVersion>2.1</DetailedVersion></Version>',
        "project.bcfp": '<?xml version="1.0"?><ProjectExtension><Project ProjectId="proj-21"><Name>Hôpital</Name>'
                        "</Project><ExtensionSchema>extensions.xsd</ExtensionSchema></ProjectExtension>",
        "extensions.xsd": extensions,
        f"{TOPIC_A}/markup.bcf": markup_a,
        f"{TOPIC_A}/viewpoint.bcfv": vp_1,
        f"{TOPIC_A}/{VP_2}.bcfv": vp_2,
        f"{TOPIC_A}/snapshot.png": PNG,
        f"{TOPIC_A}/note.png": BITMAP,
        f"{TOPIC_A}/snippet.json": b'{"element": "EU100"}',
        f"Documents/{DOC_GUID}/CCTP PLB.txt": "Article 3.2 : réseaux EU.".encode("utf-8"),
        f"{TOPIC_B}/markup.bcf": markup_b,
    }
    files.update(extra or {})
    return _write(path, files)


def bcf_30(path: Path, extra: dict[str, bytes | str] | None = None) -> Path:
    """A BCF 3.0 file with every feature."""
    markup_a = f"""<?xml version="1.0" encoding="UTF-8"?>
<Markup>
  <Header><Files>
    <File IfcProject="0YvctVUKr0kugbFTf53O9L" IsExternal="false">
      <Filename>CVC_R+1.ifc</Filename><Date>2024-11-05T09:30:00Z</Date><Reference>CVC_R+1.ifc</Reference>
    </File>
  </Files></Header>
  <Topic Guid="{TOPIC_A}" ServerAssignedId="ISSUE-17" TopicType="Clash" TopicStatus="Open">
    <ReferenceLinks><ReferenceLink>https://x.fr/issues/17</ReferenceLink></ReferenceLinks>
    <Title>Gaine CVC sous la poutre P12</Title>
    <Priority>High</Priority>
    <Index>17</Index>
    <Labels><Label>Trade: CVC</Label><Label>Openings</Label><Label>Coordination</Label></Labels>
    <CreationDate>2024-11-05T10:00:00.1234567+01:00</CreationDate>
    <CreationAuthor>jean@bet-fluides.fr</CreationAuthor>
    <ModifiedDate>2024-11-06T08:15:00Z</ModifiedDate>
    <ModifiedAuthor>marie@archi.fr</ModifiedAuthor>
    <DueDate>2024-12-01T00:00:00Z</DueDate>
    <AssignedTo>jean@bet-fluides.fr</AssignedTo>
    <Stage>EXE</Stage>
    <Description>La gaine 600×400 passe sous la poutre P12.</Description>
    <BimSnippet SnippetType="IfcDuctSegment" IsExternal="true">
      <Reference>https://x.fr/snippets/duct.ifc</Reference><ReferenceSchema>http://ifc4</ReferenceSchema>
    </BimSnippet>
    <DocumentReferences>
      <DocumentReference Guid="e1000000-0000-4000-8000-0000000000e1">
        <DocumentGuid>{DOC_GUID}</DocumentGuid><Description>CCTP lot CVC</Description>
      </DocumentReference>
      <DocumentReference Guid="e2000000-0000-4000-8000-0000000000e2">
        <Url>https://x.fr/dtu-68.pdf</Url><Description>DTU 68</Description>
      </DocumentReference>
    </DocumentReferences>
    <RelatedTopics><RelatedTopic Guid="{TOPIC_B.lower()}"/></RelatedTopics>
    <Comments>
      <Comment Guid="{COMMENT_1}">
        <Date>2024-11-05T10:05:00Z</Date><Author>jean@bet-fluides.fr</Author><Comment>Vu en synthèse.</Comment>
        <Viewpoint Guid="{VP_1}"/>
        <ModifiedDate>2024-11-05T11:00:00Z</ModifiedDate><ModifiedAuthor>jean@bet-fluides.fr</ModifiedAuthor>
      </Comment>
      <Comment Guid="{COMMENT_2}">
        <Date>2024-11-06T08:15:00Z</Date><Author>marie@archi.fr</Author><Viewpoint Guid="{VP_2}"/>
      </Comment>
    </Comments>
    <Viewpoints>
      <ViewPoint Guid="{VP_1}"><Viewpoint>{VP_1}.bcfv</Viewpoint><Snapshot>{VP_1}.png</Snapshot><Index>0</Index></ViewPoint>
      <ViewPoint Guid="{VP_2}"><Viewpoint>{VP_2}.bcfv</Viewpoint><Index>1</Index></ViewPoint>
    </Viewpoints>
  </Topic>
</Markup>"""
    vp_1 = f"""<?xml version="1.0" encoding="UTF-8"?>
<VisualizationInfo Guid="{VP_1}">
  <Components>
    <Selection>{_component(GID_DUCT, "Revit", "4711")}{_component(GID_BEAM)}</Selection>
    <Visibility DefaultVisibility="false">
      <ViewSetupHints SpacesVisible="true" SpaceBoundariesVisible="false" OpeningsVisible="true"/>
      <Exceptions>{_component(GID_DUCT, "Revit", "4711")}{_component(GID_BEAM, "Tekla")}</Exceptions>
    </Visibility>
    <Coloring>
      <Color Color="ff0000"><Components>{_component(GID_DUCT, "Revit", "4711")}</Components></Color>
      <Color Color="8000FF00"><Components>{_component(GID_BEAM, "Tekla")}{_component(GID_WALL)}</Components></Color>
    </Coloring>
  </Components>
  <PerspectiveCamera>
    {_point("CameraViewPoint", 12.5, -3.25, 7.0)}{_point("CameraDirection", 0.0, 0.7071067811865476, -0.7071067811865476)}
    {_point("CameraUpVector", 0.0, 0.0, 1.0)}<FieldOfView>75.0</FieldOfView><AspectRatio>1.7777777777777777</AspectRatio>
  </PerspectiveCamera>
  <Lines><Line>{_point("StartPoint", 0.0, 0.0, 0.0)}{_point("EndPoint", 1.5, 2.5, 3.5)}</Line></Lines>
  <ClippingPlanes>
    <ClippingPlane>{_point("Location", 0.0, 0.0, 3.2)}{_point("Direction", 0.0, 0.0, 1.0)}</ClippingPlane>
  </ClippingPlanes>
  <Bitmaps><Bitmap><Format>png</Format><Reference>note.png</Reference>{_point("Location", 1.0, 2.0, 3.0)}
    {_point("Normal", 0.0, 0.0, 1.0)}{_point("Up", 0.0, 1.0, 0.0)}<Height>2.5</Height></Bitmap></Bitmaps>
</VisualizationInfo>"""
    vp_2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<VisualizationInfo Guid="{VP_2}">
  <OrthogonalCamera>
    {_point("CameraViewPoint", 0.0, 0.0, 50.0)}{_point("CameraDirection", 0.0, 0.0, -1.0)}
    {_point("CameraUpVector", 0.0, 1.0, 0.0)}<ViewToWorldScale>42.0</ViewToWorldScale><AspectRatio>1.25</AspectRatio>
  </OrthogonalCamera>
</VisualizationInfo>"""
    markup_b = f"""<?xml version="1.0" encoding="UTF-8"?>
<Markup>
  <Topic Guid="{TOPIC_B.lower()}" TopicType="Issue" TopicStatus="Closed">
    <Title>Trappe de visite manquante</Title>
    <CreationDate>2024-10-01T12:00:00Z</CreationDate>
    <CreationAuthor>marie@archi.fr</CreationAuthor>
    <Comments><Comment Guid="{COMMENT_B}"><Date>2024-10-02T12:00:00Z</Date><Author>marie@archi.fr</Author></Comment></Comments>
  </Topic>
</Markup>"""
    extensions = """<?xml version="1.0" encoding="UTF-8"?>
<Extensions>
  <TopicTypes><TopicType>Clash</TopicType><TopicType>Issue</TopicType><TopicType>Fault</TopicType></TopicTypes>
  <TopicStatuses><TopicStatus>Open</TopicStatus><TopicStatus>Closed</TopicStatus><TopicStatus>Reopened</TopicStatus></TopicStatuses>
  <Priorities><Priority>High</Priority><Priority>Blocking</Priority></Priorities>
  <TopicLabels><TopicLabel>Openings</TopicLabel><TopicLabel>Coordination</TopicLabel><TopicLabel>Trade: CVC</TopicLabel></TopicLabels>
  <Users><User>jean@bet-fluides.fr</User><User>marie@archi.fr</User><User>paul@entreprise.fr</User></Users>
  <SnippetTypes><SnippetType>IfcDuctSegment</SnippetType></SnippetTypes>
  <Stages><Stage>EXE</Stage><Stage>DOE</Stage></Stages>
</Extensions>"""
    documents = f"""<?xml version="1.0" encoding="UTF-8"?>
<DocumentInfo><Documents>
  <Document Guid="{DOC_GUID}"><Filename>CCTP CVC.pdf</Filename><Description>Cahier des clauses techniques</Description></Document>
</Documents></DocumentInfo>"""
    files: dict[str, bytes | str] = {
        "bcf.version": '<?xml version="1.0"?><Version VersionId="3.0"/>',
        "project.bcfp": '<?xml version="1.0"?><ProjectInfo><Project ProjectId="proj-30"><Name>Hôpital</Name>'
                        "</Project></ProjectInfo>",
        "extensions.xml": extensions,
        "documents.xml": documents,
        f"Documents/{DOC_GUID}": b"%PDF-1.4 CCTP",
        f"{TOPIC_A}/markup.bcf": markup_a,
        f"{TOPIC_A}/{VP_1}.bcfv": vp_1,
        f"{TOPIC_A}/{VP_2}.bcfv": vp_2,
        f"{TOPIC_A}/{VP_1}.png": PNG,
        f"{TOPIC_A}/note.png": BITMAP,
        f"{TOPIC_B.lower()}/markup.bcf": markup_b,
    }
    files.update(extra or {})
    return _write(path, files)


SAMPLES = {"2.1": bcf_21, "3.0": bcf_30}
