"""The engine every profile shares: sandboxes, their clocks, journals and tokens, and domain errors.

Nothing here knows HTTP or any vendor's format; profiles build on it and `mockserver.http` serves it.
"""
