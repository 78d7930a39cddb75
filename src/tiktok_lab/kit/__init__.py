"""What is built from the sources: the learner and trainer editions, navigation cells, slides,
handouts and the kit site, the USB-stick kit, the JupyterHub link, and the workshop pages."""
