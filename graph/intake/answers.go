package intake

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent/schema/forms"
	"caseload/graph/errcode"
	"caseload/graph/scalar"
)

// Limits on answers, by kind: an anonymous submission may not store more
// than a person would type.
var maxAnswerLength = map[forms.QuestionKind]int{
	forms.Text:     1000,
	forms.LongText: 10000,
	forms.Email:    320,
	forms.Phone:    50,
	forms.Date:     10,
}

// AnswerInput is a submitter's answer to one question.
type AnswerInput struct {
	QuestionKey string
	// Value answers every kind but MULTIPLE_CHOICE; "true" gives a consent.
	Value string
	// Values answer a MULTIPLE_CHOICE question.
	Values []string
}

// InvalidAnswers is a submission whose answers do not fit the form: what is
// wrong, per question key ("" for the submission as a whole), in the form's
// order. The API answers it BAD_USER_INPUT; the form page shows each
// message beside its question.
type InvalidAnswers struct {
	Problems map[string]string
	Order    []string
}

// Error implements error.
func (e *InvalidAnswers) Error() string {
	msgs := make([]string, 0, len(e.Order))
	for _, k := range e.Order {
		msgs = append(msgs, e.Problems[k])
	}
	return "the answers do not fit the form: " + strings.Join(msgs, "; ")
}

// GQLError is the error as the API gives it: BAD_USER_INPUT, with each
// problem under extensions.problems.
func (e *InvalidAnswers) GQLError() *gqlerror.Error {
	err := errcode.New(errcode.BadUserInput, e.Error())
	problems := make([]map[string]string, 0, len(e.Order))
	for _, k := range e.Order {
		problems = append(problems, map[string]string{"questionKey": k, "message": e.Problems[k]})
	}
	err.Extensions["problems"] = problems
	return err
}

func (e *InvalidAnswers) add(key, msg string) {
	if _, ok := e.Problems[key]; !ok {
		e.Order = append(e.Order, key)
	}
	e.Problems[key] = msg
}

// CheckAnswers checks the answers against the form's questions and returns
// them as stored: each with its question as asked, consents with the time
// they were given. Unanswered optional questions are left out.
func CheckAnswers(questions []forms.Question, in []AnswerInput, now time.Time) ([]forms.Answer, error) {
	problems := &InvalidAnswers{Problems: map[string]string{}}
	byKey := make(map[string]AnswerInput, len(in))
	if len(in) > len(questions) {
		problems.add("", "there are more answers than questions")
	}
	for _, a := range in {
		if _, ok := question(questions, a.QuestionKey); !ok {
			problems.add("", fmt.Sprintf("there is no question %.100q", a.QuestionKey))
			continue
		}
		if _, dup := byKey[a.QuestionKey]; dup {
			problems.add(a.QuestionKey, "this question is answered twice")
			continue
		}
		byKey[a.QuestionKey] = a
	}
	var out []forms.Answer
	for _, q := range questions {
		a, given := byKey[q.Key]
		answer, msg := checkAnswer(q, a, given, now)
		if msg != "" {
			problems.add(q.Key, msg)
			continue
		}
		if answer != nil {
			out = append(out, *answer)
		}
	}
	if len(problems.Order) > 0 {
		return nil, problems
	}
	return out, nil
}

// MaxAnswerLength is the longest answer a question of the kind takes, in
// bytes; 0 when the kind's answers are chosen, not typed. Pages use it for
// their maxlength hints.
func MaxAnswerLength(k forms.QuestionKind) int { return maxAnswerLength[k] }

// checkAnswer checks one answer; it returns nil for an optional question
// left blank, or a message saying what is wrong.
func checkAnswer(q forms.Question, a AnswerInput, given bool, now time.Time) (*forms.Answer, string) {
	value := strings.TrimSpace(a.Value)
	values := make([]string, 0, len(a.Values))
	for _, v := range a.Values {
		if v = strings.TrimSpace(v); v != "" {
			values = append(values, v)
		}
	}
	blank := value == "" && len(values) == 0
	if q.Kind == forms.Consent && value == "false" {
		blank = true
	}
	if !given || blank {
		if q.Required {
			if q.Kind == forms.Consent {
				return nil, "please agree to continue"
			}
			return nil, "please answer this question"
		}
		return nil, ""
	}
	if q.Kind != forms.MultipleChoice && len(a.Values) > 0 {
		return nil, "this question takes one answer"
	}
	if q.Kind == forms.MultipleChoice && a.Value != "" {
		return nil, "choose among the options"
	}
	if msg := textProblem(value); msg != "" {
		return nil, msg
	}
	if n, ok := maxAnswerLength[q.Kind]; ok && len(value) > n {
		return nil, fmt.Sprintf("the answer is too long: at most %d characters", n)
	}
	answer := &forms.Answer{QuestionKey: q.Key, Label: q.Label, Kind: q.Kind}
	switch q.Kind {
	case forms.Text, forms.Phone:
		if strings.ContainsAny(value, "\r\n") || strings.IndexFunc(value, unicode.IsControl) >= 0 {
			return nil, "the answer must be on one line"
		}
		if q.Key == KeyName && (len(value) > 200 || strings.IndexFunc(value, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }) >= 0) {
			return nil, "a name has at most 200 characters, without text-direction controls"
		}
		if q.Kind == forms.Phone && !PhoneLike(value) {
			return nil, "enter a phone number: digits, spaces, +, -, ( and )"
		}
	case forms.Email:
		addr, err := mail.ParseAddress(value)
		if err != nil || addr.Address != value || addr.Name != "" {
			return nil, "enter an email address such as name@example.com"
		}
	case forms.Date:
		d, err := time.Parse(time.DateOnly, value)
		if err != nil || d.Year() < 1900 || d.Year() > 2200 {
			return nil, "enter a date as YYYY-MM-DD"
		}
	case forms.SingleChoice:
		if !slices.Contains(q.Options, value) {
			return nil, "choose one of the options"
		}
	case forms.MultipleChoice:
		seen := map[string]bool{}
		for _, v := range values {
			if !slices.Contains(q.Options, v) {
				return nil, "choose among the options"
			}
			if seen[v] {
				return nil, "an option is chosen twice"
			}
			seen[v] = true
		}
		answer.Values = values
		return answer, ""
	case forms.Consent:
		if value != "true" {
			return nil, "a consent is given with the value true"
		}
		at := now.UTC()
		answer.ConsentedAt = &at
	}
	answer.Value = value
	return answer, ""
}

// textProblem says why text cannot be stored: invalid UTF-8 or control
// characters, as the API's String scalar refuses them.
func textProblem(s string) string {
	if err := scalar.CheckText(s); err != nil {
		if e, ok := err.(*gqlerror.Error); ok {
			return e.Message
		}
		return err.Error()
	}
	return ""
}

// PhoneLike accepts what people type as a phone number, with at least six
// digits: intake answers and online bookings check phones alike.
func PhoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-().", r):
		default:
			return false
		}
	}
	return digits >= 6
}

// lineBreaks turns every kind of line break into "\n".
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n", "\u0085", "\n", "\v", "\n", "\f", "\n")

// Text is the answers as lines of "question: answer", for
// FormResponse.answers: readable wherever structured data is not.
func Text(answers []forms.Answer) string {
	var b strings.Builder
	for _, a := range answers {
		v := a.Value
		if a.Kind == forms.MultipleChoice {
			v = strings.Join(a.Values, ", ")
		}
		if a.Kind == forms.Consent {
			v = "agreed at " + a.ConsentedAt.Format(time.RFC3339)
		}
		// Every line break a submitter typed, of any kind, is indented, so
		// that an answer cannot pass for a line of its own.
		fmt.Fprintf(&b, "%s: %s\n", a.Label, strings.ReplaceAll(lineBreaks.Replace(v), "\n", "\n  "))
	}
	return b.String()
}
