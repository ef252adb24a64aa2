"""How the engine is served: Connexion wiring shared by every profile (resolver, security, validation,
error dispatch, journaling). Vendor specifics stay in the profile packages."""
