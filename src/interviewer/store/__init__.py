"""The store: transcript files, saves and checkpoints, session locks, the sessions index."""
