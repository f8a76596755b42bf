package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"retkoop/app/csvin"
	"retkoop/app/fault"
	"retkoop/app/fr"
	"retkoop/app/money"
	"retkoop/app/store"
)

// inventoryPage is the registre d'inventaire.
type inventoryPage struct {
	Frame   bookFrame
	Entries []store.InventoryEntry
	Total   money.Money
	Errors  []string
	Form    struct{ Date, Description, Value string }
}

func (a *Handler) showInventory(c *gin.Context) error {
	cs, bf, err := a.frame(c, "inventaire", "Registre d'inventaire")
	if err != nil {
		return err
	}
	p := &inventoryPage{Frame: bf}
	p.Form.Date = todayIn(bf.Exercice.Name, a.Now())
	return a.renderInventory(c, http.StatusOK, cs, p)
}

func (a *Handler) renderInventory(c *gin.Context, status int, cs *store.CoopScope, p *inventoryPage) error {
	entries, err := cs.Inventory(c.Request.Context(), p.Frame.Exercice.Name)
	if err != nil {
		return err
	}
	p.Entries = entries
	for _, e := range entries {
		if e.DisposedOn == nil {
			p.Total += e.Value
		}
	}
	a.render.HTML(c, status, "book_inventaire", a.page(c, p.Frame.Title, p))
	return nil
}

// createInventoryItem adds a good received without a purchase (a gift).
func (a *Handler) createInventoryItem(c *gin.Context) error {
	cs, bf, err := a.frame(c, "inventaire", "Registre d'inventaire")
	if err != nil {
		return err
	}
	p := &inventoryPage{Frame: bf}
	p.Form.Date, p.Form.Description, p.Form.Value = c.PostForm("date"), c.PostForm("description"), c.PostForm("valeur")
	date, err := csvin.ParseDate(p.Form.Date)
	if err != nil {
		err = fault.Invalidf("Date illisible : écrivez-la JJ/MM/AAAA.")
	}
	var value money.Money
	if err == nil && strings.TrimSpace(p.Form.Value) != "" {
		if value, err = money.Parse(p.Form.Value); err != nil {
			err = fault.Invalidf("Valeur illisible : « %s ».", p.Form.Value)
		}
	}
	if err == nil {
		err = cs.AddInventoryItem(c.Request.Context(), bf.Exercice.Name, date, p.Form.Description, value)
	}
	if err != nil {
		msg, ok := fault.Message(err)
		if !ok {
			return err
		}
		p.Errors = []string{msg}
		return a.renderInventory(c, http.StatusUnprocessableEntity, cs, p)
	}
	a.redirect(c, spaceOf(c).book(bf.Exercice.Name, "inventaire"))
	return nil
}

// updateInventoryItem changes an entry's description or marks it disposed.
func (a *Handler) updateInventoryItem(c *gin.Context) error {
	cs, bf, err := a.frame(c, "inventaire", "Registre d'inventaire")
	if err != nil {
		return err
	}
	ch := store.InventoryChange{Ref: c.PostForm("ref"), Description: c.PostForm("description")}
	if s := strings.TrimSpace(c.PostForm("sortie")); s != "" {
		d, err := csvin.ParseDate(s)
		if err != nil {
			return fault.Invalidf("Date de sortie illisible : écrivez-la JJ/MM/AAAA.")
		}
		ch.DisposedOn = &d
	} else if c.PostForm("sortir") != "" {
		d := a.Now().In(fr.Paris)
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		ch.DisposedOn = &day
	}
	if err := cs.UpdateInventory(c.Request.Context(), ch); err != nil {
		return err
	}
	a.redirect(c, spaceOf(c).book(bf.Exercice.Name, "inventaire")+"#inv-"+ch.Ref)
	return nil
}
