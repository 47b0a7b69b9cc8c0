"""Chat exports read as one normalised message stream, one module per app's
format. Start at `detect.parse`; imports nothing else from insights."""
