"""Settings: from flags, the environment and the config file."""
