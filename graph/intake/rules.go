package intake

import (
	"fmt"
	"slices"
	"strings"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"
)

// MaxRules bounds a form's rules: each submission runs them in order.
const MaxRules = 50

// MaxRuleTags bounds the tags one rule puts on a client.
const MaxRuleTags = 20

// RuleInput is a form rule as staff define it.
type RuleInput struct {
	QuestionKey    string
	Operator       forms.Operator
	Values         []string
	PractitionerID pulid.ID
	TagIDs         []pulid.ID
}

// CheckRules checks rules against the form's questions: each names a
// question of the form; EQUALS and CONTAINS take one value, ONE_OF one or
// more; a choice question's values must be among its options. Whether the
// practitioners and tags qualify is the write's own rule (ent/rule).
func CheckRules(questions []forms.Question, in []RuleInput) error {
	if len(in) > MaxRules {
		return bad("a form has at most %d rules", MaxRules)
	}
	for i, r := range in {
		where := fmt.Sprintf("rule %d", i+1)
		q, ok := question(questions, r.QuestionKey)
		if !ok {
			return bad("%s: the form has no question %.100q", where, r.QuestionKey)
		}
		if q.Kind == forms.Consent {
			return bad("%s: a consent does not route a client", where)
		}
		switch {
		case len(r.TagIDs) > MaxRuleTags:
			return bad("%s: a rule puts at most %d tags on a client", where, MaxRuleTags)
		case len(r.Values) == 0 || len(r.Values) > MaxOptions:
			return bad("%s: a rule has 1 to %d values", where, MaxOptions)
		case r.Operator != forms.OneOf && len(r.Values) != 1:
			return bad("%s: %s takes exactly one value", where, r.Operator)
		}
		for _, v := range r.Values {
			v = strings.TrimSpace(v)
			if v == "" || len(v) > MaxOptionLength {
				return bad("%s: a value has 1 to %d characters", where, MaxOptionLength)
			}
			if msg := textProblem(v); msg != "" {
				return bad("%s: %s", where, msg)
			}
			if q.Kind.HasOptions() && !slices.Contains(q.Options, v) {
				return bad("%s: %q is not an option of the question %s", where, v, q.Key)
			}
		}
	}
	return nil
}

// Matches reports whether the rule matches the answers: EQUALS and ONE_OF
// compare whole answers, case and surrounding spaces aside; CONTAINS finds
// the value inside a text answer, or among a multiple choice answer's
// choices.
func Matches(r *ent.IntakeRule, answers []forms.Answer) bool {
	var a *forms.Answer
	for i := range answers {
		if answers[i].QuestionKey == r.QuestionKey {
			a = &answers[i]
		}
	}
	if a == nil {
		return false
	}
	given := []string{a.Value}
	if a.Kind == forms.MultipleChoice {
		given = a.Values
	}
	for _, g := range given {
		for _, v := range r.Values {
			g, v := strings.ToLower(strings.TrimSpace(g)), strings.ToLower(strings.TrimSpace(v))
			switch r.Operator {
			case forms.Equals, forms.OneOf:
				if g == v {
					return true
				}
			case forms.Contains:
				if a.Kind == forms.MultipleChoice && g == v || a.Kind != forms.MultipleChoice && strings.Contains(g, v) {
					return true
				}
			}
		}
	}
	return false
}

// Routing is where §6 sends a new client from a form, and why.
type Routing struct {
	// Practitioner is the responsible practitioner; empty when unassigned.
	Practitioner pulid.ID
	// Tags are the matching rule's tags.
	Tags   []pulid.ID
	Source assignment.Source
	// RulePosition is the matching rule, counted from 1.
	RulePosition int
}

// Route applies policy §6, new clients: the first matching rule wins, then
// the link's practitioner, then the form's default; otherwise the client is
// unassigned and waits in the triage list. A rule, link or default naming
// someone who is no longer an active practitioner is passed over, since no
// client can be given to them (§2).
func Route(rules []*ent.IntakeRule, answers []forms.Answer, link *ent.IntakeLink, form *ent.IntakeForm, active func(pulid.ID) bool) Routing {
	sorted := slices.Clone(rules)
	slices.SortFunc(sorted, func(a, b *ent.IntakeRule) int { return a.Position - b.Position })
	for i, r := range sorted {
		if active(r.PractitionerID) && Matches(r, answers) {
			return Routing{Practitioner: r.PractitionerID, Tags: r.TagIds, Source: assignment.SourceINTAKE_RULE, RulePosition: i + 1}
		}
	}
	if link != nil && link.PractitionerID != nil && active(*link.PractitionerID) {
		return Routing{Practitioner: *link.PractitionerID, Source: assignment.SourceINTAKE_LINK}
	}
	if form.DefaultPractitionerID != nil && active(*form.DefaultPractitionerID) {
		return Routing{Practitioner: *form.DefaultPractitionerID, Source: assignment.SourceINTAKE_FORM_DEFAULT}
	}
	return Routing{}
}
