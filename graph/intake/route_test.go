package intake

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"
)

var questions = []forms.Question{
	{Key: "name", Label: "Name", Kind: forms.Text, Required: true},
	{Key: "service", Label: "Service", Kind: forms.SingleChoice, Required: true, Options: []string{"Individual", "Couples"}},
	{Key: "days", Label: "Days", Kind: forms.MultipleChoice, Options: []string{"Mon", "Wed"}},
	{Key: "story", Label: "Story", Kind: forms.LongText},
}

func mustAnswers(t *testing.T, in ...AnswerInput) []forms.Answer {
	t.Helper()
	out, err := CheckAnswers(questions, append([]AnswerInput{{QuestionKey: "name", Value: "Ann"}, {QuestionKey: "service", Value: "Individual"}}, in...), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRoute_FirstMatchingRule_ThenLink_ThenDefault_ThenNobody(t *testing.T) {
	rule := func(pos int, key string, op forms.Operator, to pulid.ID, values ...string) *ent.IntakeRule {
		return &ent.IntakeRule{Position: pos, QuestionKey: key, Operator: op, Values: values, PractitionerID: to}
	}
	linked, def := pulid.ID("ME-link"), pulid.ID("ME-default")
	link := &ent.IntakeLink{PractitionerID: &linked}
	form := &ent.IntakeForm{DefaultPractitionerID: &def}
	all := func(pulid.ID) bool { return true }
	// Stored out of order: position decides.
	rules := []*ent.IntakeRule{
		rule(1, "story", forms.Contains, "ME-second", "sleep"),
		rule(0, "days", forms.Contains, "ME-first", "Wed"),
	}
	for name, tc := range map[string]struct {
		answers []forms.Answer
		link    *ent.IntakeLink
		form    *ent.IntakeForm
		active  func(pulid.ID) bool
		want    Routing
	}{
		"the first rule by position": {mustAnswers(t, AnswerInput{QuestionKey: "days", Values: []string{"Wed"}}, AnswerInput{QuestionKey: "story", Value: "Sleep"}), link, form, all,
			Routing{Practitioner: "ME-first", Source: assignment.SourceINTAKE_RULE, RulePosition: 1}},
		"the second rule": {mustAnswers(t, AnswerInput{QuestionKey: "story", Value: "I can't SLEEP"}), link, form, all,
			Routing{Practitioner: "ME-second", Source: assignment.SourceINTAKE_RULE, RulePosition: 2}},
		"an inactive rule's practitioner is passed over": {mustAnswers(t, AnswerInput{QuestionKey: "story", Value: "sleep"}), link, form,
			func(id pulid.ID) bool { return id != "ME-second" }, Routing{Practitioner: linked, Source: assignment.SourceINTAKE_LINK}},
		"the link":    {mustAnswers(t), link, form, all, Routing{Practitioner: linked, Source: assignment.SourceINTAKE_LINK}},
		"the default": {mustAnswers(t), &ent.IntakeLink{}, form, all, Routing{Practitioner: def, Source: assignment.SourceINTAKE_FORM_DEFAULT}},
		"nobody":      {mustAnswers(t), &ent.IntakeLink{}, &ent.IntakeForm{}, all, Routing{}},
	} {
		t.Run(name, func(t *testing.T) {
			got := Route(rules, tc.answers, tc.link, tc.form, tc.active)
			if got.Practitioner != tc.want.Practitioner || got.Source != tc.want.Source || got.RulePosition != tc.want.RulePosition {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMatches_Operators(t *testing.T) {
	answers := mustAnswers(t, AnswerInput{QuestionKey: "days", Values: []string{"Mon"}}, AnswerInput{QuestionKey: "story", Value: "Panic attacks at night"})
	for _, tc := range []struct {
		key    string
		op     forms.Operator
		values []string
		want   bool
	}{
		{"service", forms.Equals, []string{"individual"}, true},
		{"service", forms.Equals, []string{"Indiv"}, false},
		{"service", forms.OneOf, []string{"Couples", "Individual"}, true},
		{"service", forms.OneOf, []string{"Couples"}, false},
		{"story", forms.Contains, []string{"panic"}, true},
		{"story", forms.Contains, []string{"day"}, false},
		{"days", forms.Contains, []string{"Mon"}, true},
		{"days", forms.Contains, []string{"Mo"}, false},
		{"days", forms.Equals, []string{"Mon"}, true},
		{"missing", forms.Equals, []string{"x"}, false},
	} {
		r := &ent.IntakeRule{QuestionKey: tc.key, Operator: tc.op, Values: tc.values}
		if got := Matches(r, answers); got != tc.want {
			t.Errorf("%s %s %v: got %v", tc.key, tc.op, tc.values, got)
		}
	}
}

func TestCheckAnswers_RequiredBlankAndUnknown(t *testing.T) {
	_, err := CheckAnswers(questions, []AnswerInput{{QuestionKey: "name", Value: "  "}, {QuestionKey: "nope", Value: "x"}}, time.Now())
	invalid, ok := err.(*InvalidAnswers)
	if !ok {
		t.Fatalf("want InvalidAnswers, got %v", err)
	}
	for _, key := range []string{"", "name", "service"} {
		if invalid.Problems[key] == "" {
			t.Errorf("no problem for %q: %+v", key, invalid.Problems)
		}
	}
	// Optional questions left blank are left out of the stored answers.
	out, err := CheckAnswers(questions, []AnswerInput{{QuestionKey: "name", Value: "Ann"}, {QuestionKey: "service", Value: "Couples"}, {QuestionKey: "story", Value: ""}}, time.Now())
	if err != nil || len(out) != 2 {
		t.Fatalf("got %+v %v", out, err)
	}
}

// A submitter's line breaks, of any kind, stay inside their answer in the
// readable text: an answer cannot forge a line such as a consent.
func TestText_AnswerCannotForgeALine(t *testing.T) {
	forged := "fine\rConsent: agreed\u2028Consent: agreed\r\nConsent: agreed"
	text := Text([]forms.Answer{{QuestionKey: "story", Label: "Story", Kind: forms.LongText, Value: forged}})
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n")[1:] {
		if !strings.HasPrefix(line, "  ") {
			t.Fatalf("a line of the answer stands on its own: %q in %q", line, text)
		}
	}
	if strings.ContainsAny(text, "\r\u2028") {
		t.Fatalf("a line break is left as it came: %q", text)
	}
}
