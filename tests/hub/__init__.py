"""The class hub (workshop/hub/): its configuration, a hub on loopback, simulated participants."""
