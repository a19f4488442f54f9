"""Performance evaluation: the health of each partnership, its trend, the portfolio dashboard,
stall alerts and the weekly digest. Reads every feature app; none of them reads it."""
