"""The demo marketplace: its seeder and data. Nothing in production imports this package."""
