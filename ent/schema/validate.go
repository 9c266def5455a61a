package schema

import (
	"errors"

	"caseload/ent/schema/access"
)

// validatePracticeVisibility refuses PRACTICE_DEFAULT as a practice setting:
// it would refer to itself.
func validatePracticeVisibility(v access.ClientVisibility) error {
	if v != access.AllTeam && v != access.CareTeam {
		return errors.New("the practice client visibility must be ALL_TEAM or CARE_TEAM")
	}
	return nil
}
