"""What a session is made of: rounds, personas, loops, prompts, and the candidate's files."""
