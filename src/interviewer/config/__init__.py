"""Every setting, from flags, the environment and the config file, read in one place.

- ``file``: where each setting comes from, once and without pydantic: the settings'
  names and variables, the config file, the precedence (``Sources``); and the folders
  that the commands reading saved sessions need (``list``, ``show``), read through it.
- ``settings``: the settings' types: ``Settings``, resolved for one command by
  ``load_settings`` from its ``Flags`` (the typed command-line flags), the environment and
  the file as ``Sources`` picks them, the context window and the voice settings included.
- ``schema``: what the config file may hold, as pydantic checks it (``FileConfig``);
  imported only when there is a file to check.

May import: errors, formats.
"""
