"""The interview: the session's state machine, the conversation, one round run, whole loops."""
