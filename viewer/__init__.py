"""The Qt-free VTK scene of the federated 3D view.

``viewer.scene.Scene`` is the entry point; ``viewer.offscreen`` renders without a
display; ``viewer.types`` and ``viewer.colours`` import no VTK. Importing this
package itself loads nothing heavy, so the headless CLI can name it freely.
"""
