"""The simulation engine: simpy processes for clients and staff, assembled from a Scenario."""
