"""Real-browser tests (JupyterLab in headless Chromium).

A package so that the helper module `jupyterlab.py` is imported as
`browser.jupyterlab` and never shadows the real `jupyterlab` package.
"""
