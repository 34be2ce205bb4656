"""Every setting, from flags, the environment and the config file, read in one place.

- ``file``: where the config file is, reading it, and the folder settings and defaults
  that the commands reading saved sessions need without pydantic (``list``, ``show``).
- ``settings``: ``Settings``, resolved for one command by ``load_settings`` from its
  ``Flags`` (the typed command-line flags), then the environment, then the file, the
  context window and the voice settings included.

May import: errors, formats.
"""
