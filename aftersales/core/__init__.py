"""What every module uses: auth and roles, the audit trail, clocks, errors, pagination."""
