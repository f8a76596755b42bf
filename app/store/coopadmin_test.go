package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/app/store/storetest"
)

func TestChangeMandataireEndsTheOldAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		auth := db.Auth()
		u, err := auth.UserByLogin(ctx, "0310036W")
		if err != nil {
			t.Fatal(err)
		}
		if err := auth.SetPassword(ctx, u.ID, "hash", false, nil); err != nil {
			t.Fatal(err)
		}
		token, _, err := auth.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		if err := adA.ChangeMandataire(ctx, f.coopA1, "  Mme Relève ", "Releve@Ecole.example", "mutation"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := auth.Session(ctx, token, time.Hour); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("the old session survives: %v", err)
		}
		u, _ = auth.UserByLogin(ctx, "0310036W")
		if u.PasswordHash != "" || !u.MustChange || u.Name != "Mme Relève" || u.Email != "releve@ecole.example" {
			t.Errorf("login after the change: %+v", u)
		}
		co, _ := adA.CoopByUAI(ctx, "0310036W")
		if co.MandataireName != "Mme Relève" || co.MandataireEmail != "releve@ecole.example" {
			t.Errorf("coop after the change: %+v", co)
		}
		rows, err := adA.CoopAudit(ctx, f.coopA1, []string{store.ActionMandataire}, 10)
		if err != nil || len(rows) != 1 {
			t.Fatalf("history: %v %v", rows, err)
		}
		if err := adA.ChangeMandataire(ctx, f.coopB1, "Intrus", "", ""); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD A changing AD B's coop: %v", err)
		}
		if _, err := adA.CoopAudit(ctx, f.coopB1, []string{store.ActionMandataire}, 10); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("AD A reading AD B's coop audit: %v", err)
		}
		if err := adA.ChangeMandataire(ctx, f.coopA1, " ", "", ""); err == nil {
			t.Error("a change without a name")
		}
	})
}

func TestStaffAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		adB, _ := db.ForAD(ctx, f.adB.ID, nil)
		admin := &store.User{Role: store.RoleAdmin, Login: "admin@a.example"}
		staff := &store.User{Role: store.RoleStaff, Login: "staff@a.example"}
		other := &store.User{Role: store.RoleStaff, Login: "staff@b.example"}
		for _, c := range []struct {
			ad *store.ADScope
			u  *store.User
		}{{adA, admin}, {adA, staff}, {adB, other}} {
			if err := c.ad.CreateStaff(ctx, c.u); err != nil {
				t.Fatal(err)
			}
		}
		asAdmin, _ := db.ForAD(ctx, f.adA.ID, &admin.ID)
		if err := asAdmin.SetStaffDisabled(ctx, admin.ID, true); err == nil {
			t.Error("an admin disabled their own account")
		}
		if err := asAdmin.SetStaffDisabled(ctx, other.ID, true); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("disabling AD B's staff: %v", err)
		}
		mand, _ := db.Auth().UserByLogin(ctx, "0310036W")
		if _, err := asAdmin.StaffMember(ctx, mand.ID); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("a mandataire as staff member: %v", err)
		}
		if err := asAdmin.SetStaffDisabled(ctx, staff.ID, true); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.Auth().UserByLogin(ctx, "staff@a.example"); !u.Disabled {
			t.Error("not disabled")
		}
		if err := asAdmin.SetStaffDisabled(ctx, staff.ID, false); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.Auth().UserByLogin(ctx, "staff@a.example"); u.Disabled {
			t.Error("not enabled again")
		}
	})
}

func TestImportPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		adA, _ := db.ForAD(ctx, f.adA.ID, nil)
		rows := []store.CoopImport{
			{UAI: "0310036W", Params: store.CoopParams{Name: "École A1 rénovée"}},
			{UAI: "0310100R", Params: store.CoopParams{Name: "École A2"}},
			{UAI: "0310200X", Params: store.CoopParams{Name: "Nouvelle"}},
			{UAI: "0700001L", Params: store.CoopParams{Name: "Celle de l'AD B"}},
		}
		preview, problems, err := adA.ImportPreview(ctx, rows, []int{2, 3, 4, 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != 1 || problems[0] != "ligne 5 : l'UAI 0700001L est déjà l'identifiant d'une coopérative d'une autre AD" {
			t.Errorf("problems %q", problems)
		}
		if preview[0].Create || len(preview[0].Changes) != 1 || preview[0].Changes[0] != "nom" {
			t.Errorf("update of A1: %+v", preview[0])
		}
		if preview[1].Create || len(preview[1].Changes) != 0 || !preview[2].Create {
			t.Errorf("preview %+v", preview)
		}
		coops, _, _ := adA.Coops(ctx, store.CoopFilter{})
		if len(coops) != 2 {
			t.Errorf("the preview wrote: %d coops", len(coops))
		}
	})
}
