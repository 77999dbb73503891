"""What a run is configured to do: configuration files, rule selection and lint options."""
