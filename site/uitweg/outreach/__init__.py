"""SMS campaigns as a domain: which campaign a pasted code means, the anonymous counts of
landings and doors, and what each campaign achieved (with small numbers suppressed)."""
