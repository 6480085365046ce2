package registry

import (
	"strconv"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
)

// orgInput is an organisation as staff write it (POST/PUT
// /registry/organisations). It goes through the dataset's own Parse, so
// that one made here and one imported obey the same rules and key.
type orgInput struct {
	Type        string `json:"type" validate:"max=20"`
	Name        string `json:"name" validate:"required,max=100"`
	CreditCode  string `json:"creditCode" validate:"max=30"`
	Region      string `json:"region" validate:"required,max=50"`
	Address     string `json:"address" validate:"max=200"`
	LeaderName  string `json:"leaderName" validate:"max=50"`
	LeaderPhone string `json:"leaderPhone" validate:"max=20"`
	Members     int64  `json:"members" validate:"gte=0,lte=1000000"`
	Products    []Crop `json:"products" validate:"max=50,dive"`
	Established string `json:"established" validate:"max=10"`
}

// row is in as an import row; products whose names could not be read
// back from a cell are refused first.
func (in *orgInput) row() (datasets.Row, error) {
	bad := map[string]string{}
	checkInputCrops("products", in.Products, bad)
	if err := invalidIf(bad); err != nil {
		return nil, err
	}
	members := ""
	if in.Members != 0 {
		members = strconv.FormatInt(in.Members, 10)
	}
	return datasets.Row{"type": in.Type, "name": in.Name, "creditCode": in.CreditCode, "region": in.Region,
		"address": in.Address, "leaderName": in.LeaderName, "leaderPhone": in.LeaderPhone,
		"members": members, "products": formatCrops(in.Products), "established": in.Established}, nil
}

// organisation is in checked and parsed: the stored profile fields.
func (in *orgInput) organisation() (Organisation, error) {
	row, err := in.row()
	if err != nil {
		return Organisation{}, err
	}
	o, err := parseOrgRow(row)
	if err != nil {
		return Organisation{}, datasets.InvalidRow(err)
	}
	return o, nil
}
