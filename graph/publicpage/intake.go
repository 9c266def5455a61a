package publicpage

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caseload/ent/schema/forms"
	"caseload/graph/auth"
	"caseload/graph/intake"
)

// Names of the form fields every public form carries.
const (
	// fieldKey is the hidden idempotency key: one per page load, kept
	// when the form comes back with problems, so that a double submit
	// creates one client (policy §11).
	fieldKey = "idempotency_key"
	// fieldHoneypot is a text input that people never see: a form that
	// fills it is a robot's, answered as a success and saved nowhere.
	fieldHoneypot = "website"
	// answerPrefix names an intake answer's field: "a." and the question's
	// key.
	answerPrefix = "a."
)

// newKey is a fresh idempotency key: 128 random bits, as 32 hex digits.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// intakeView is the intake form page.
type intakeView struct {
	base
	FormName  string
	Action    string
	Questions []questionView
	Key       string
}

// questionView is one question as the form shows it, with the answer
// given so far and what is wrong with it.
type questionView struct {
	ID           string
	Name         string
	Label        string
	Help         string
	HelpID       string
	Kind         string
	Required     bool
	Value        string
	Checked      bool
	Options      []optionView
	Error        string
	ErrorID      string
	DescribedBy  string
	InputType    string
	Autocomplete string
}

// optionView is one choice of a SINGLE_CHOICE or MULTIPLE_CHOICE question.
type optionView struct {
	ID      string
	Value   string
	Checked bool
}

// intakeDone is the confirmation: when the answers arrived, and nothing
// else (policy §11: not whether the person is already a client, nor who
// the answers went to).
type intakeDone struct {
	base
	FormName    string
	ReceivedAt  string
	ReceivedISO string
}

// autocomplete hints for the questions whose keys fill the client's
// record (graph/intake's well-known keys).
var autocomplete = map[string]string{
	intake.KeyName:        "name",
	intake.KeyEmail:       "email",
	intake.KeyPhone:       "tel",
	intake.KeyDateOfBirth: "bday",
}

// intakeForm serves GET /intake/{token}: the form of an enabled link, or
// the one not-found page for any other token.
func (h *handler) intakeForm(w http.ResponseWriter, r *http.Request, token string) {
	form, err := intake.PublicForm(r.Context(), h.opts.Client, token)
	if err != nil {
		h.failure(w, r, nil, err)
		return
	}
	h.render(w, r, form.FrameAncestors, http.StatusOK, "intake", newIntakeView(form, token, nil, nil, newKey()))
}

// intakeSubmit serves POST /intake/{token}: it submits the answers through
// intake.Submit, which creates the client routed by policy §6, and answers
// the confirmation, or the form again with each problem beside its
// question and the answers kept.
func (h *handler) intakeSubmit(w http.ResponseWriter, r *http.Request, token string) {
	ctx := r.Context()
	form, err := intake.PublicForm(ctx, h.opts.Client, token)
	if err != nil {
		h.failure(w, r, nil, err)
		return
	}
	if err := readForm(w, r); err != nil {
		h.formFailure(w, r, form.FrameAncestors, err)
		return
	}
	answers, given := collectAnswers(form.Questions, r.PostForm)
	if strings.TrimSpace(r.PostForm.Get(fieldHoneypot)) != "" {
		// A robot: the same confirmation as a person gets, and nothing
		// saved; it counts against the limits as a submission would, so
		// that a flood of them is refused alike.
		if err := h.opts.Limits.BeginPublicSubmission(ctx, auth.RequestOf(ctx).Address, form.RateKey()); err != nil {
			o := classify(ctx, auth.RefusalError(ctx, err))
			o.setRetryAfter(w)
			view := newIntakeView(form, token, given, nil, newKey())
			view.Problems = append(view.Problems, problem{Message: o.message})
			h.render(w, r, form.FrameAncestors, o.status, "intake", view)
			return
		}
		h.intakeConfirm(w, r, form, h.now())
		return
	}
	key := r.PostForm.Get(fieldKey)
	if _, err := intake.CheckIdempotencyKey(key); err != nil {
		// Only an altered page sends no key; a fresh one lets the person
		// send the form again.
		view := newIntakeView(form, token, given, nil, newKey())
		view.Problems = append(view.Problems, problem{Message: "This form could not be sent as it was. Please check your answers and send it again."})
		h.render(w, r, form.FrameAncestors, http.StatusUnprocessableEntity, "intake", view)
		return
	}
	received, err := intake.Submit(ctx, h.opts.Client, h.opts.Limits, h.opts.Mail, intake.Submission{
		Token:          token,
		Answers:        answers,
		IdempotencyKey: key,
	}, h.now())
	var invalid *intake.InvalidAnswers
	switch {
	case err == nil:
		h.intakeConfirm(w, r, form, received)
	case errors.As(err, &invalid):
		h.render(w, r, form.FrameAncestors, http.StatusUnprocessableEntity, "intake", newIntakeView(form, token, given, invalid, key))
	default:
		o := classify(ctx, err)
		if o.status == http.StatusNotFound {
			h.notFound(w, r)
			return
		}
		// The form again, answers kept, with what happened at the top.
		view := newIntakeView(form, token, given, nil, key)
		view.Problems = append(view.Problems, problem{Message: o.message})
		o.setRetryAfter(w)
		h.render(w, r, form.FrameAncestors, o.status, "intake", view)
	}
}

// intakeConfirm answers the confirmation page.
func (h *handler) intakeConfirm(w http.ResponseWriter, r *http.Request, form *intake.Form, at time.Time) {
	at = at.In(form.TimeZone)
	h.render(w, r, form.FrameAncestors, http.StatusOK, "intake_done", intakeDone{
		base:        base{Title: "Thank you", PracticeName: form.PracticeName},
		FormName:    form.Name,
		ReceivedAt:  at.Format("15:04 MST on Monday 2 January 2006"),
		ReceivedISO: at.UTC().Format(time.RFC3339),
	})
}

// failure answers an error of a service when there is no form to show it
// on: the one not-found page for NOT_FOUND, a message page otherwise.
func (h *handler) failure(w http.ResponseWriter, r *http.Request, frameAncestors []string, err error) {
	o := classify(r.Context(), err)
	if o.status == http.StatusNotFound {
		h.notFound(w, r)
		return
	}
	o.setRetryAfter(w)
	title := "This page is not available right now"
	if o.status == http.StatusInternalServerError {
		title = "Something went wrong"
	}
	h.errorPage(w, r, frameAncestors, o.status, messagePage{Title: title, Message: o.message})
}

// collectAnswers reads the posted answers to the form's questions, and
// what was posted for each, to show again. Fields that are not the form's
// questions are ignored; a question with several values where it takes
// one is passed as such, for intake.CheckAnswers to refuse.
func collectAnswers(questions []forms.Question, posted url.Values) ([]intake.AnswerInput, map[string][]string) {
	var answers []intake.AnswerInput
	given := map[string][]string{}
	for _, q := range questions {
		vals, ok := posted[answerPrefix+q.Key]
		if !ok || len(vals) == 0 {
			continue
		}
		given[q.Key] = vals
		a := intake.AnswerInput{QuestionKey: q.Key}
		if q.Kind == forms.MultipleChoice || len(vals) > 1 {
			a.Values = vals
		} else {
			a.Value = vals[0]
		}
		answers = append(answers, a)
	}
	return answers, given
}

// newIntakeView builds the form page: the questions, the answers given
// (nil on a fresh form), and the problems of a refused submission.
func newIntakeView(form *intake.Form, token string, given map[string][]string, invalid *intake.InvalidAnswers, key string) intakeView {
	v := intakeView{
		base:     base{Title: form.Name, PracticeName: form.PracticeName},
		FormName: form.Name,
		Action:   "/intake/" + token,
		Key:      key,
	}
	for _, q := range form.Questions {
		qv := questionView{
			ID:           "q-" + q.Key,
			Name:         answerPrefix + q.Key,
			Label:        q.Label,
			Help:         q.Help,
			Kind:         string(q.Kind),
			Required:     q.Required,
			Autocomplete: autocomplete[q.Key],
		}
		switch q.Kind {
		case forms.Email:
			qv.InputType = "email"
		case forms.Phone:
			qv.InputType = "tel"
		case forms.Date:
			qv.InputType = "date"
		default:
			qv.InputType = "text"
		}
		vals := given[q.Key]
		if len(vals) > 0 {
			qv.Value = display(vals[0])
		}
		qv.Checked = q.Kind == forms.Consent && qv.Value == "true"
		for i, o := range q.Options {
			ov := optionView{ID: qv.ID + "-" + strconv.Itoa(i), Value: o}
			for _, g := range vals {
				if strings.TrimSpace(g) == o {
					ov.Checked = true
				}
			}
			qv.Options = append(qv.Options, ov)
		}
		var describedBy []string
		if q.Help != "" {
			qv.HelpID = qv.ID + "-help"
			describedBy = append(describedBy, qv.HelpID)
		}
		if invalid != nil {
			if msg, ok := invalid.Problems[q.Key]; ok {
				qv.Error = sentence(msg)
				qv.ErrorID = qv.ID + "-error"
				describedBy = append(describedBy, qv.ErrorID)
			}
		}
		qv.DescribedBy = strings.Join(describedBy, " ")
		v.Questions = append(v.Questions, qv)
	}
	if invalid != nil {
		for _, k := range invalid.Order {
			msg := sentence(invalid.Problems[k])
			if k == "" {
				v.Problems = append(v.Problems, problem{Message: msg})
				continue
			}
			for _, qv := range v.Questions {
				if qv.Name == answerPrefix+k {
					target := qv.ID
					if len(qv.Options) > 0 {
						target = qv.Options[0].ID
					}
					v.Problems = append(v.Problems, problem{Field: target, Message: short(qv.Label) + " – " + msg})
				}
			}
		}
	}
	return v
}

// display is posted text as it can be shown again: valid UTF-8, without
// NUL.
func display(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// short cuts a label for the error summary.
func short(s string) string {
	r := []rune(s)
	if len(r) <= 80 {
		return s
	}
	return strings.TrimSpace(string(r[:77])) + "…"
}
