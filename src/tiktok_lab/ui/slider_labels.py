"""Give every ipywidgets slider a name that screen readers announce.

An ipywidgets 8 slider draws its ``description`` as a ``<label>`` beside a
noUiSlider handle (``role="slider"``), but nothing ties the two together: a
screen reader only says "slider, 4", and axe-core reports the handle as an
input without a name (``aria-input-field-name``). ipywidgets offers no option
for it (noUiSlider's ``handleAttributes`` is not passed through), so
:func:`slider_labels_script` returns a small script, shown once per lesson by
``tl.start_lesson``, that copies each slider's description (or its tooltip)
into its handle's ``aria-label`` and keeps doing so for sliders drawn later.

It runs wherever the lesson's outputs run scripts: JupyterLab (trusted
notebooks), Voilà and exported pages.
"""

from __future__ import annotations

_GLOBAL = "__tiktokLabSliderLabels"

_SCRIPT = """<script>(function () {
  if (window.%(global)s) { return; }
  window.%(global)s = true;
  var pending = false;
  function nameHandles() {
    pending = false;
    var handles = document.querySelectorAll('.widget-slider .noUi-handle:not([aria-label])');
    Array.prototype.forEach.call(handles, function (handle) {
      var widget = handle.closest('.widget-slider');
      var label = widget.querySelector('.widget-label');
      var text = ((label && label.textContent) || widget.title || '').trim();
      if (text) { handle.setAttribute('aria-label', text); }
    });
  }
  nameHandles();
  new MutationObserver(function () {
    if (!pending) { pending = true; window.requestAnimationFrame(nameHandles); }
  }).observe(document.body, {childList: true, subtree: true});
})();</script>"""


def slider_labels_script() -> str:
    """The ``<script>`` that names slider handles; harmless when shown twice on a page."""
    return _SCRIPT % {"global": _GLOBAL}
