"""The audit package: frozen audit periods, the signed package an auditor verifies offline
(its record sheets, report and verifier), and the builds that export it."""
