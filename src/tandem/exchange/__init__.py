"""Value exchange and the partner pipeline (seed 002: a balanced value exchange, performance
evaluation that optimises for funnel leakage; seed 003: meetings that review forecasts,
funnels and leads). ``money`` holds currencies and rates, ``pipeline`` the opportunities and
their stages, ``ledger`` what each side gives the other (an entry may name an opportunity)."""
