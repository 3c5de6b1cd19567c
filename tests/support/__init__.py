"""Reusable test infrastructure (throwaway PostgreSQL servers, headless browser helpers)."""
