"""Accounts, roles, sign-in, invitation and password links, and authorisation."""
