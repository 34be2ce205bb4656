"""The terminal: reading answers, streaming replies, safe output of outside text, signals."""
