"""Readers for each floor-plan format; ``sim.layout.load`` chooses among them."""
