"""HTML report of an IDS or rule-set run: one self-contained page (no script, no external file).

A person reads the summary first (overall status, models, one line per
specification and model), then the details: what each specification asks, and
each failing element with its name, storey and the reason. A rule-set run also
shows each rule's kind (IDS or built-in rule) and severity. Every text from a
model, an IDS or a rule set is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from bim.i18n import _, current_language
from checks.ids.results import IdsRunResult, ModelSpecificationResult, SpecificationResult, Status
from checks.reports.common import (
    atomic_write,
    cardinality_label,
    is_ruleset_run,
    kind_label,
    rules_by_specification,
    skip_note,
    status_label,
    summary_rows,
)

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#222;line-height:1.4}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right}
.pass{color:#17692e;font-weight:600}.fail{color:#b3261e;font-weight:600}.skipped{color:#777}
.badge{display:inline-block;padding:.15rem .7rem;border-radius:1rem;color:#fff;font-weight:700}
.badge.pass{background:#17692e;color:#fff}.badge.fail{background:#b3261e;color:#fff}
.muted{color:#666}ul{margin:.2rem 0 .6rem}
"""


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _status(status: Status) -> str:
    return f'<span class="{status.value}">{_e(status_label(status))}</span>'


def _summary(result: IdsRunResult) -> list[str]:
    out = [f"<h1>{_e(result.ids_title)}</h1>",
           f'<p><span class="badge {result.status.value}">{_e(status_label(result.status))}</span> '
           f'<span class="muted">{_e(_("checked on {date} in {seconds:.1f} s").format(date=result.started_at, seconds=result.duration_s))}</span></p>']
    counts = _("{passed} specifications pass, {failed} fail, {skipped} skipped").format(
        passed=result.count(Status.PASS), failed=result.count(Status.FAIL), skipped=result.count(Status.SKIPPED))
    out.append(f"<p>{_e(counts)}</p>")
    out.append(f"<h2>{_e(_('Models'))}</h2><table><tr><th>{_e(_('Model'))}</th><th>{_e(_('Schema'))}</th>"
               f"<th>{_e(_('Trade'))}</th><th>{_e(_('File'))}</th></tr>")
    for m in result.models:
        out.append(f"<tr><td>{_e(m.name)}</td><td>{_e(m.schema)}</td><td>{_e(m.trade or '')}</td>"
                   f"<td>{_e(m.path or '')}</td></tr>")
    out.append("</table>")
    ruleset = is_ruleset_run(result)
    first = (_("Rule"), _("Kind"), _("Severity")) if ruleset else (_("Specification"), _("Cardinality"))
    out.append(f"<h2>{_e(_('Summary'))}</h2><table><tr>" + "".join(
        f"<th>{_e(h)}</th>" for h in (*first, _("Model"), _("Status"),
                                      _("Applicable"), _("Passing"), _("Failing"), _("Note"))) + "</tr>")
    for row in summary_rows(result):
        numbers = "".join(f'<td class="n">{_e("" if v is None else v)}</td>'
                          for v in (row.applicable, row.passing, row.failing))
        lead = (f"<td>{_e(row.specification)}</td><td>{_e(row.kind)}</td><td>{_e(row.severity)}</td>" if ruleset
                else f"<td>{_e(row.specification)}</td><td>{_e(row.cardinality)}</td>")
        out.append(f"<tr>{lead}<td>{_e(row.model)}</td>"
                   f"<td>{_status(row.status)}</td>{numbers}<td>{_e(row.message)}</td></tr>")
    out.append("</table>")
    return out


def _model_details(spec: SpecificationResult, m: ModelSpecificationResult) -> list[str]:
    out = [f"<h4>{_e(m.model_name)} — {_status(m.status)} "
           f'<span class="muted">{_e(_("{applicable} applicable, {passing} passing, {failing} failing").format(applicable=m.applicable_count, passing=m.passing_count, failing=m.failing_count))}</span></h4>']
    if m.message:
        out.append(f"<p>{_e(m.message)}</p>")
    if not m.failing:
        return out
    out.append("<table><tr>" + "".join(
        f"<th>{_e(h)}</th>" for h in (_("GlobalId"), _("Class"), _("Name"), _("Storey"), _("Why it fails"))) + "</tr>")
    by_element = m.reasons_by_element()
    for element in m.failing:
        reasons = by_element.get(element.step_id, [])
        why = "".join(f"<li>{_e(reason.text)}</li>" for _r, reason in reasons) or f"<li>{_e(m.message)}</li>"
        out.append(f"<tr><td><code>{_e(element.global_id or '#' + str(element.step_id))}</code></td>"
                   f"<td>{_e(element.ifc_class)}</td><td>{_e(element.name or '')}</td>"
                   f"<td>{_e(element.storey or '')}</td><td><ul>{why}</ul></td></tr>")
    out.append("</table>")
    return out


def _details(result: IdsRunResult) -> list[str]:
    out = [f"<h2>{_e(_('Details'))}</h2>"]
    rules = rules_by_specification(result)
    for spec in result.specifications:
        title = spec.name + (f" [{spec.identifier}]" if spec.identifier else "")
        out.append(f'<h3 id="spec-{spec.index}">{_e(title)} — {_status(spec.status)}</h3>')
        rule = rules.get(id(spec))
        if rule is not None:
            parameters = ", ".join(f"{k} = {', '.join(v) if isinstance(v, tuple) else v}" for k, v in rule.parameters)
            out.append(f'<p class="muted">{_e(kind_label(rule))} · {_e(_("severity"))}: {_e(rule.severity.label)}'
                       + (f" · {_e(parameters)}" if parameters else "") + "</p>")
        else:
            out.append(f'<p class="muted">{_e(cardinality_label(spec.cardinality))} · '
                       f'{_e(", ".join(spec.ifc_versions))}</p>')
        if spec.description:
            out.append(f"<p>{_e(spec.description)}</p>")
        if spec.instructions:
            out.append(f"<p><em>{_e(spec.instructions)}</em></p>")
        out.append(f"<p>{_e(_('Applies to:'))}</p><ul>" + "".join(f"<li>{_e(a)}</li>" for a in spec.applicability) + "</ul>")
        if spec.requirements:
            out.append(f"<p>{_e(_('Requirements:'))}</p><ul>" + "".join(f"<li>{_e(r)}</li>" for r in spec.requirements) + "</ul>")
        if not spec.models:
            out.append(f'<p class="skipped">{_e(skip_note(spec))}</p>')
        for m in spec.models:
            out.extend(_model_details(spec, m))
    return out


def render_html(result: IdsRunResult) -> str:
    """The whole report page."""
    body = _summary(result) + _details(result)
    return (f'<!DOCTYPE html>\n<html lang="{_e(current_language())}"><head><meta charset="utf-8">'
            f"<title>{_e(result.ids_title)} — {_e(_('Rule check report') if is_ruleset_run(result) else _('IDS check report'))}</title><style>{_STYLE}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


def write_html(result: IdsRunResult, path: Path | str) -> Path:
    """Write the HTML report to ``path``."""
    return atomic_write(path, render_html(result).encode("utf-8"))
