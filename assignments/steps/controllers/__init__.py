"""The steps' view functions by topic; ``assignments.steps.blueprint`` routes to them."""
