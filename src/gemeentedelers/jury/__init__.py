"""Round 3: the jury ranks the finalists per category; winners are announced after the embargo."""
