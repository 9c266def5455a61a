package graph

// Input checks shared by the resolvers: every text, name, reason and list
// they take is trimmed, bounded and refused here with BAD_USER_INPUT.

import (
	"sort"
	"strings"
	"time"
	"unicode"

	"caseload/ent/schema/pulid"
	"caseload/graph/auth"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// reasonText bounds an optional reason.
func reasonText(reason *string) (string, error) {
	r := strings.TrimSpace(deref(reason))
	if len(r) > 1000 {
		return "", errcode.New(errcode.BadUserInput, "the reason is too long")
	}
	return r, nil
}

// checkName refuses blank or overlong display names.
func checkName(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return "", errcode.New(errcode.BadUserInput, what+" must have between 1 and 200 characters")
	}
	// A name is shown in lists and logs: line breaks, tabs and the
	// directional overrides that can make it read as another name are
	// refused (the String scalar has refused other control characters).
	if i := strings.IndexFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\t' || unicode.Is(unicode.Bidi_Control, r)
	}); i >= 0 {
		return "", errcode.New(errcode.BadUserInput, what+" must not contain line breaks, tabs or text-direction controls")
	}
	return s, nil
}

// maxSearchLength bounds a search term: longer terms name no one and cost a
// scan of every visible row.
const maxSearchLength = 200

// searchTerm trims a search term; empty means no search.
func searchTerm(s *string) (string, error) {
	term := strings.TrimSpace(deref(s))
	if len(term) > maxSearchLength {
		return "", errcode.New(errcode.BadUserInput, "a search term has at most 200 characters")
	}
	return term, nil
}

// checkCredentials normalises the email and checks the password's strength.
func checkCredentials(email, password string) (string, error) {
	e, err := auth.NormalizeEmail(email)
	if err != nil {
		return "", errcode.New(errcode.BadUserInput, err.Error())
	}
	if err := auth.CheckStrength(password, e); err != nil {
		return "", errcode.New(errcode.BadUserInput, err.Error())
	}
	return e, nil
}

// textField trims a text input and bounds its length.
func textField(name string, s *string, max int) (*string, error) {
	if s == nil {
		return nil, nil
	}
	t := strings.TrimSpace(*s)
	if len(t) > max {
		return nil, errcode.New(errcode.BadUserInput, name+" is too long")
	}
	return &t, nil
}

func uniqueIDs(ids []pulid.ID) []pulid.ID {
	seen := map[pulid.ID]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// profileMutation is what create and update of a client share.
type profileMutation interface {
	SetEmail(string)
	SetPhone(string)
	SetAddress(string)
	SetEmergencyContact(string)
	SetDateOfBirth(time.Time)
}

// setProfile sets the PROFILE fields given; privacy then requires PROFILE EDIT.
func setProfile(m profileMutation, email, phone, address, emergency *string, dob *time.Time) error {
	for _, f := range []struct {
		name string
		val  *string
		max  int
		set  func(string)
	}{
		{"the email", email, 320, m.SetEmail},
		{"the phone", phone, 50, m.SetPhone},
		{"the address", address, 500, m.SetAddress},
		{"the emergency contact", emergency, 500, m.SetEmergencyContact},
	} {
		v, err := textField(f.name, f.val, f.max)
		if err != nil {
			return err
		}
		if v != nil {
			f.set(*v)
		}
	}
	if email != nil && strings.TrimSpace(*email) != "" {
		if _, err := auth.NormalizeEmail(*email); err != nil {
			return errcode.New(errcode.BadUserInput, "the email is not a valid address")
		}
	}
	if dob != nil {
		if dob.After(time.Now()) {
			return errcode.New(errcode.BadUserInput, "the date of birth is in the future")
		}
		m.SetDateOfBirth(dob.UTC())
	}
	return nil
}

// noteText trims a note's or an addendum's content and bounds its length.
func noteText(content string) (string, error) {
	content = strings.TrimSpace(content)
	if content == "" || len(content) > 100_000 {
		return "", errcode.New(errcode.BadUserInput, "a note needs content, at most 100000 characters")
	}
	return content, nil
}

// checkWindows refuses windows outside a day, backwards, or overlapping on
// the same weekday.
func checkWindows(windows []*model.AvailabilityWindowInput) error {
	sorted := append([]*model.AvailabilityWindowInput(nil), windows...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Weekday != sorted[j].Weekday {
			return sorted[i].Weekday < sorted[j].Weekday
		}
		return sorted[i].StartMinute < sorted[j].StartMinute
	})
	for i, w := range sorted {
		if w.Weekday < 0 || w.Weekday > 6 || w.StartMinute < 0 || w.EndMinute > 24*60 || w.StartMinute >= w.EndMinute {
			return errcode.New(errcode.BadUserInput, "a window is a weekday 0–6 (0 is Sunday) and minutes 0–1440 with start before end")
		}
		if i > 0 && sorted[i-1].Weekday == w.Weekday && sorted[i-1].EndMinute > w.StartMinute {
			return errcode.New(errcode.BadUserInput, "windows on the same weekday overlap")
		}
	}
	return nil
}

func errSchedule() error {
	return errcode.New(errcode.Forbidden, "only the practitioner or the team's managers change a schedule")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func samePtr(a, b *pulid.ID) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// emergencyReason is the mandatory reason for breaking the glass (policy §8):
// trimmed, and between 1 and 1000 characters.
func emergencyReason(reason string) (string, error) {
	r := strings.TrimSpace(reason)
	if r == "" || len(r) > 1000 {
		return "", errcode.New(errcode.BadUserInput, "breaking the glass needs a reason, at most 1000 characters")
	}
	return r, nil
}

// reviewNote is an admin's optional note on an emergency access: trimmed,
// at most 1000 characters; blank means none.
func reviewNote(note *string) (*string, error) {
	n, err := textField("the note", note, 1000)
	if err != nil || n == nil || *n == "" {
		return nil, err
	}
	return n, nil
}
