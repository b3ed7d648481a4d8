"""Small pure helpers shared by the apps."""
