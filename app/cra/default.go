package cra

// Default returns the questionnaire the app ships with, used by an AD that
// has not defined its own for the exercice: the headcounts, the life of the
// coopérative, the OCCE's actions, solidarity, the parents and training
// wishes. Questions are kept few and short: a teacher fills it in once a
// year in a few minutes.
func Default() Definition {
	return Definition{
		Title: "Compte-rendu d'activité",
		Sections: []Section{
			{Title: "L'école et la coopérative", Questions: []Question{
				{Key: "classes", Label: "Nombre de classes", Kind: Number, Required: true, Min: ptr(1), Max: ptr(60)},
				{Key: "eleves", Label: "Nombre d'élèves", Kind: Number, Required: true, Min: ptr(0), Max: ptr(2000)},
				{Key: "adultes", Label: "Nombre d'adultes membres de la coopérative",
					Help: "Enseignants, ATSEM, AESH et autres adultes de l'école adhérents.", Kind: Number, Required: true, Min: ptr(0), Max: ptr(300)},
			}},
			{Title: "La vie coopérative", Questions: []Question{
				{Key: "conseils", Label: "Nombre de conseils de coopérative tenus dans l'année",
					Help: "Conseils d'élèves, de classe ou d'école.", Kind: Number, Required: true, Min: ptr(0), Max: ptr(500)},
				{Key: "bureau", Label: "Un bureau d'élèves a-t-il été élu ?", Kind: YesNo, Required: true},
				{Key: "projets", Label: "Projets réalisés", Help: "Sorties, spectacles, jardin, correspondance… en quelques lignes.",
					Kind: Text, Required: true, MaxLen: 2000},
			}},
			{Title: "L'OCCE et la solidarité", Questions: []Question{
				{Key: "actions_occe", Label: "Actions de l'OCCE suivies", Kind: Multiple, Choices: []string{
					"Théâtre (Théâ)", "Écriture (Étamine)", "Arts visuels", "Agenda coopératif", "Rencontres coopératives",
					"Éducation au développement durable", "Autre"}},
				{Key: "solidarite", Label: "Actions de solidarité menées", Help: "Collectes, parrainages, actions humanitaires…",
					Kind: Text, MaxLen: 1000},
				{Key: "parents", Label: "Participation des parents à la vie de la coopérative", Kind: Choice, Required: true,
					Choices: []string{"Aucune", "Occasionnelle", "Régulière"}},
			}},
			{Title: "Formation", Questions: []Question{
				{Key: "formation", Label: "Souhaits de formation", Help: "Gestion de la coopérative, pédagogie coopérative, conseils d'élèves…",
					Kind: Text, MaxLen: 1000},
			}},
		},
	}
}

func ptr(n int) *int { return &n }
