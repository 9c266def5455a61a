// Package forms holds the value types stored inside intake forms, their
// responses and the practice's booking settings (policy §6, new clients;
// §11): a form's questions, the answers a submitter gave, and the
// appointment types a practice offers online. They are JSON columns, so
// that a form's version and a response keep exactly what was asked and
// answered, whatever the form becomes later.
package forms

import (
	"io"
	"time"

	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
)

// QuestionKind is what a question asks for, and so how its answer is checked.
type QuestionKind string

// The kinds of question.
const (
	Text           QuestionKind = "TEXT"
	LongText       QuestionKind = "LONG_TEXT"
	Email          QuestionKind = "EMAIL"
	Phone          QuestionKind = "PHONE"
	Date           QuestionKind = "DATE"
	SingleChoice   QuestionKind = "SINGLE_CHOICE"
	MultipleChoice QuestionKind = "MULTIPLE_CHOICE"
	Consent        QuestionKind = "CONSENT"
)

// QuestionKinds lists every kind, in the API's order.
var QuestionKinds = []QuestionKind{Text, LongText, Email, Phone, Date, SingleChoice, MultipleChoice, Consent}

// MarshalGQL implements graphql.Marshaler.
func (k QuestionKind) MarshalGQL(w io.Writer) { access.MarshalEnum(w, k) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *QuestionKind) UnmarshalGQL(v any) (err error) {
	*k, err = access.UnmarshalEnum(v, QuestionKinds, "IntakeQuestionKind")
	return err
}

// HasOptions reports whether the question's answers are chosen from its
// options.
func (k QuestionKind) HasOptions() bool { return k == SingleChoice || k == MultipleChoice }

// Operator compares a form rule's values with an answer.
type Operator string

// The operators of form rules.
const (
	// Equals matches an answer equal to the rule's one value.
	Equals Operator = "EQUALS"
	// OneOf matches an answer equal to any of the rule's values.
	OneOf Operator = "ONE_OF"
	// Contains matches a text answer containing the value, or a multiple
	// choice answer that includes it.
	Contains Operator = "CONTAINS"
)

// Operators lists every operator.
var Operators = []Operator{Equals, OneOf, Contains}

// MarshalGQL implements graphql.Marshaler.
func (o Operator) MarshalGQL(w io.Writer) { access.MarshalEnum(w, o) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (o *Operator) UnmarshalGQL(v any) (err error) {
	*o, err = access.UnmarshalEnum(v, Operators, "IntakeRuleOperator")
	return err
}

// Question is one question of a form version.
type Question struct {
	// Key names the question in answers and rules; unique in a form.
	Key string `json:"key"`
	// Label is the question as shown; for CONSENT, the consent wording.
	Label    string       `json:"label"`
	Kind     QuestionKind `json:"kind"`
	Required bool         `json:"required"`
	// Options are the choices of SINGLE_CHOICE and MULTIPLE_CHOICE.
	Options []string `json:"options,omitempty"`
	// Help is an optional hint shown under the question.
	Help string `json:"help,omitempty"`
}

// Answer is one answered question of a response, with the question as it
// was asked: a response reads the same after the form changes.
type Answer struct {
	QuestionKey string       `json:"questionKey"`
	Label       string       `json:"label"`
	Kind        QuestionKind `json:"kind"`
	// Value is the answer of every kind but MULTIPLE_CHOICE; "true" for a
	// given consent.
	Value string `json:"value,omitempty"`
	// Values are a MULTIPLE_CHOICE answer's choices.
	Values []string `json:"values,omitempty"`
	// ConsentedAt is when a CONSENT question was agreed to; its wording is
	// Label.
	ConsentedAt *time.Time `json:"consentedAt,omitempty"`
}

// AppointmentType is an appointment a practice offers online: its name and
// length.
type AppointmentType struct {
	Name    string `json:"name"`
	Minutes int    `json:"minutes"`
}

// TagIDs are the tags a form rule puts on the client it routes.
type TagIDs []pulid.ID
