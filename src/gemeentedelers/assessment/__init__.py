"""Round 2: evidence, assessor teams, visits, assessment reports and the joint choice of finalists."""
