"""The learner's work (``my_work/``): the store, its download and restore, the typed
documents, merged saves of documents several windows hold, and the saved settings."""
