package intake

import (
	"fmt"
	"regexp"
	"strings"

	"caseload/ent/schema/forms"
	"caseload/graph/errcode"
	"caseload/graph/scalar"
)

// Limits on a form's definition: a form is read by people on phones, and
// every submission is checked against it.
const (
	MaxQuestions    = 100
	MaxOptions      = 50
	MaxLabelLength  = 2000
	MaxOptionLength = 200
	MaxHelpLength   = 1000
)

// Well-known question keys fill the new client's record: a form must ask
// the client's name, and may ask their email, phone and date of birth.
const (
	KeyName        = "name"
	KeyEmail       = "email"
	KeyPhone       = "phone"
	KeyDateOfBirth = "date_of_birth"
)

// profileKinds are the kinds the well-known keys must have.
var profileKinds = map[string]forms.QuestionKind{
	KeyName:        forms.Text,
	KeyEmail:       forms.Email,
	KeyPhone:       forms.Phone,
	KeyDateOfBirth: forms.Date,
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// QuestionInput is a question as staff define it.
type QuestionInput struct {
	Key      string
	Label    string
	Kind     forms.QuestionKind
	Required bool
	Options  []string
	Help     string
}

// CheckQuestions checks a form's questions and returns them as stored. A
// form must ask for the client's name: a required TEXT question keyed
// "name"; "email", "phone" and "date_of_birth", when asked, must be of kind
// EMAIL, PHONE and DATE.
func CheckQuestions(in []QuestionInput) ([]forms.Question, error) {
	if len(in) == 0 || len(in) > MaxQuestions {
		return nil, bad("a form has between 1 and %d questions", MaxQuestions)
	}
	out := make([]forms.Question, 0, len(in))
	keys := map[string]bool{}
	for i, q := range in {
		where := fmt.Sprintf("question %d", i+1)
		if !keyPattern.MatchString(q.Key) {
			return nil, bad("%s: a key has 1 to 100 letters, digits, - or _", where)
		}
		if keys[q.Key] {
			return nil, bad("%s: the key %q is used twice", where, q.Key)
		}
		keys[q.Key] = true
		label := strings.TrimSpace(q.Label)
		if label == "" || len(label) > MaxLabelLength {
			return nil, bad("%s (%s): the label has 1 to %d characters", where, q.Key, MaxLabelLength)
		}
		help := strings.TrimSpace(q.Help)
		if len(help) > MaxHelpLength {
			return nil, bad("%s (%s): the help text has at most %d characters", where, q.Key, MaxHelpLength)
		}
		if want, ok := profileKinds[q.Key]; ok && q.Kind != want {
			return nil, bad("%s: the key %q fills the client's record and must be a %s question", where, q.Key, want)
		}
		var options []string
		if q.Kind.HasOptions() {
			if len(q.Options) == 0 || len(q.Options) > MaxOptions {
				return nil, bad("%s (%s): a choice question has 1 to %d options", where, q.Key, MaxOptions)
			}
			seen := map[string]bool{}
			for _, o := range q.Options {
				o = strings.TrimSpace(o)
				if o == "" || len(o) > MaxOptionLength || strings.ContainsAny(o, "\r\n") {
					return nil, bad("%s (%s): an option is one line of 1 to %d characters", where, q.Key, MaxOptionLength)
				}
				if seen[strings.ToLower(o)] {
					return nil, bad("%s (%s): the option %q is offered twice", where, q.Key, o)
				}
				seen[strings.ToLower(o)] = true
				options = append(options, o)
			}
		} else if len(q.Options) > 0 {
			return nil, bad("%s (%s): only SINGLE_CHOICE and MULTIPLE_CHOICE questions have options", where, q.Key)
		}
		for _, s := range append([]string{label, help}, options...) {
			if err := scalar.CheckText(s); err != nil {
				return nil, bad("%s (%s): %v", where, q.Key, err)
			}
		}
		out = append(out, forms.Question{Key: q.Key, Label: label, Kind: q.Kind, Required: q.Required, Options: options, Help: help})
	}
	name, ok := question(out, KeyName)
	if !ok || !name.Required {
		return nil, bad("a form must ask the client's name: a required TEXT question with the key %q", KeyName)
	}
	return out, nil
}

// question returns the question with the key.
func question(qs []forms.Question, key string) (forms.Question, bool) {
	for _, q := range qs {
		if q.Key == key {
			return q, true
		}
	}
	return forms.Question{}, false
}

func bad(format string, args ...any) error {
	return errcode.New(errcode.BadUserInput, fmt.Sprintf(format, args...))
}
