"""JSON Schemas shipped as package data: the task definition and the configuration file."""
