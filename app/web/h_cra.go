package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/cra"
	"retkoop/app/fault"
	"retkoop/app/store"
)

// The compte-rendu d'activité: the AD's questionnaire rendered as an
// accessible form (one fieldset per section, every field labelled, help
// and errors tied to it), saved as a draft or submitted to the AD.

// craView is the questionnaire with the answers to show.
type craView struct {
	Title       string
	Sections    []craSection
	Submitted   bool
	SubmittedAt time.Time
	UpdatedAt   time.Time
	Action      string // the form's address; "" for a read-only view
	Errors      int
	Notice      string
	Exercice    string
	Links       crfLinks
	CSRF        string
}

type craSection struct {
	ID        string
	Title     string
	Questions []craQuestion
}

// craQuestion is one field, with what the template needs to render it.
type craQuestion struct {
	cra.Question
	ID      string
	Value   string
	Display string
	Error   string
	Options []craOption
	MinAttr string
	MaxAttr string
}

type craOption struct {
	ID, Value, Label string
	Checked          bool
}

// newCRAView prepares the questionnaire with answers (typed, when the form
// comes back with errors).
func newCRAView(r *store.CRA, action string, errs cra.Errors) *craView {
	v := &craView{Title: r.Definition.Title, Submitted: r.Submitted(), SubmittedAt: r.SubmittedAt, UpdatedAt: r.UpdatedAt,
		Errors: len(errs)}
	if !v.Submitted {
		v.Action = action
	}
	for i, s := range r.Definition.Sections {
		sec := craSection{ID: "cra-section-" + strconv.Itoa(i+1), Title: s.Title}
		for _, q := range s.Questions {
			vals := r.Answers[q.Key]
			fq := craQuestion{Question: q, ID: "q-" + q.Key, Display: q.Display(r.Answers), Error: errs[q.Key]}
			if len(vals) > 0 {
				fq.Value = vals[0]
			}
			if q.Min != nil {
				fq.MinAttr = strconv.Itoa(*q.Min)
			}
			if q.Max != nil {
				fq.MaxAttr = strconv.Itoa(*q.Max)
			}
			choices := q.Choices
			if q.Kind == cra.YesNo {
				choices = []string{"oui", "non"}
			}
			for j, ch := range choices {
				label := ch
				if q.Kind == cra.YesNo {
					label = map[string]string{"oui": "Oui", "non": "Non"}[ch]
				}
				fq.Options = append(fq.Options, craOption{ID: fq.ID + "-" + strconv.Itoa(j+1), Value: ch, Label: label,
					Checked: slices.Contains(vals, ch)})
			}
			sec.Questions = append(sec.Questions, fq)
		}
		v.Sections = append(v.Sections, sec)
	}
	return v
}

func (a *Handler) showCRA(c *gin.Context) error {
	ex := c.Param("ex")
	r, err := coopScope(c).CRA(c.Request.Context(), ex)
	if err != nil {
		return err
	}
	v := newCRAView(r, spaceOf(c).cra(ex), nil)
	switch {
	case c.Query("transmis") == "1":
		v.Notice = "Compte-rendu d'activité transmis à votre AD. Merci !"
	case c.Query("enregistre") == "1":
		v.Notice = "Brouillon enregistré : vous pourrez le compléter plus tard."
	}
	a.renderCRA(c, http.StatusOK, ex, v)
	return nil
}

func (a *Handler) renderCRA(c *gin.Context, status int, ex string, v *craView) {
	v.Exercice, v.Links, v.CSRF = ex, newCRFLinks(spaceOf(c), ex), csrfToken(c)
	a.render.HTML(c, status, "cra", a.page(c, "Compte-rendu d'activité "+ex, v))
}

// updateCRA saves the answers as a draft (action "brouillon") or submits
// them (action "transmettre"); answers that do not fit the questionnaire
// come back with a message next to each question (422), nothing saved.
func (a *Handler) updateCRA(c *gin.Context) error {
	cs, ctx, ex := coopScope(c), c.Request.Context(), c.Param("ex")
	r, err := cs.CRA(ctx, ex)
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return fault.Invalidf("Formulaire illisible.")
	}
	submit := c.PostForm("action") == "transmettre"
	answers, errs := cra.Bind(r.Definition, c.Request.PostForm, submit)
	if errs != nil {
		typed := *r
		typed.Answers = answers
		a.renderCRA(c, http.StatusUnprocessableEntity, ex, newCRAView(&typed, spaceOf(c).cra(ex), errs))
		return nil
	}
	if err := a.SaveCRA(ctx, cs, ex, answers, submit); err != nil {
		return err
	}
	if submit {
		a.redirect(c, spaceOf(c).cra(ex)+"?transmis=1")
		return nil
	}
	a.redirect(c, spaceOf(c).cra(ex)+"?enregistre=1")
	return nil
}
