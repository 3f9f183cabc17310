"""Streamlit glue of the dashboard: the only place besides pages that imports streamlit."""
