"""The callback request from submit to deletion: routing to a partner that can open it,
sealing, the lifecycle of its status with an audit record for each change, escalation and
retention. Knows nothing of the web."""
