"""Truce Explorer: the late-2024 Russia–Ukraine truce proposals and who stands where."""
