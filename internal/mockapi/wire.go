package mockapi

// JSON wire structs of the mock. They follow the models of the public API
// documentation (https://developer.genesys.cloud/platform/api/) and of the
// official SDKs, written independently of internal/client.

type errorBody struct {
	Message           string            `json:"message"`
	Code              string            `json:"code"`
	Status            int               `json:"status"`
	EntityID          string            `json:"entityId,omitempty"`
	EntityName        string            `json:"entityName,omitempty"`
	MessageWithParams string            `json:"messageWithParams,omitempty"`
	MessageParams     map[string]string `json:"messageParams,omitempty"`
	ContextID         string            `json:"contextId"`
	Details           []errorDetail     `json:"details"`
	Errors            []errorBody       `json:"errors"`
	Limit             *errorLimit       `json:"limit,omitempty"`
}

// errorLimit names the limit a 429 hit.
type errorLimit struct {
	Key       string `json:"key"`
	Namespace string `json:"namespace"`
	Value     int    `json:"value"`
}

type errorDetail struct {
	ErrorCode  string `json:"errorCode,omitempty"`
	FieldName  string `json:"fieldName,omitempty"`
	EntityID   string `json:"entityId,omitempty"`
	EntityName string `json:"entityName,omitempty"`
}

type oauthToken struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

type permissionsWire struct {
	IDs []string `json:"ids"`
}

type entityRef struct {
	ID      string `json:"id"`
	SelfURI string `json:"selfUri"`
}

type licenseDefinitionWire struct {
	ID            string                  `json:"id"`
	Description   string                  `json:"description,omitempty"`
	Permissions   *permissionsWire        `json:"permissions,omitempty"`
	Prerequisites []entityRef             `json:"prerequisites"`
	Comprises     []licenseDefinitionWire `json:"comprises"`
	SelfURI       string                  `json:"selfUri"`
}

type licenseOrgToggleWire struct {
	FeatureName string `json:"featureName"`
	Enabled     bool   `json:"enabled"`
}

type licenseUserWire struct {
	ID       string                  `json:"id"`
	Licenses []licenseDefinitionWire `json:"licenses"`
	SelfURI  string                  `json:"selfUri"`
}

type userLicensesWire struct {
	ID       string   `json:"id"`
	Licenses []string `json:"licenses"`
	SelfURI  string   `json:"selfUri"`
}

// userLicenseRefsWire is UserLicenses with licenses as references, one of the
// shapes a postLicenseUsers value may take (Profile.UsersShape).
type userLicenseRefsWire struct {
	ID       string      `json:"id"`
	Licenses []entityRef `json:"licenses"`
	SelfURI  string      `json:"selfUri"`
}

type userLicensesListingWire struct {
	Entities   []userLicensesWire `json:"entities"`
	PageSize   int                `json:"pageSize"`
	PageNumber int                `json:"pageNumber"`
	Total      int                `json:"total"`
	PageCount  int                `json:"pageCount"`
}

// batchRequestWire uses pointers so that a missing or null field is told apart
// from an empty one.
type batchRequestWire struct {
	Assignments *[]assignmentWire `json:"assignments"`
}

type assignmentWire struct {
	LicenseID     *string   `json:"licenseId"`
	UserIDsAdd    *[]string `json:"userIdsAdd"`
	UserIDsRemove *[]string `json:"userIdsRemove"`
}

type licenseUpdateStatusWire struct {
	UserID    string `json:"userId"`
	LicenseID string `json:"licenseId"`
	Result    string `json:"result"`
}

type licenseOrganizationWire struct {
	ID       string                 `json:"id"`
	Name     string                 `json:"name"`
	Licenses map[string][]entityRef `json:"licenses"`
	SelfURI  string                 `json:"selfUri"`
}

// userSearchRequestWire is UserSearchRequest (POST /api/v2/users/search); pointers
// tell a missing field from an empty one.
type userSearchRequestWire struct {
	SortOrder  string                    `json:"sortOrder,omitempty"`
	SortBy     string                    `json:"sortBy,omitempty"`
	PageSize   *int                      `json:"pageSize"`
	PageNumber *int                      `json:"pageNumber"`
	Expand     []string                  `json:"expand,omitempty"`
	Query      *[]userSearchCriteriaWire `json:"query"`
}

// userSearchCriteriaWire is UserSearchCriteria; type is required.
type userSearchCriteriaWire struct {
	Type     string   `json:"type"`
	Fields   []string `json:"fields"`
	Value    *string  `json:"value"`
	Values   []string `json:"values"`
	Operator string   `json:"operator"`
}

// userWire is the part of the Users API's User model the mock fills in;
// version is required by the SDK model.
type userWire struct {
	ID       string        `json:"id"`
	Name     string        `json:"name,omitempty"`
	Division *divisionWire `json:"division,omitempty"`
	Email    string        `json:"email,omitempty"`
	State    string        `json:"state"`
	Username string        `json:"username,omitempty"`
	Version  int           `json:"version"`
	SelfURI  string        `json:"selfUri"`
}

type divisionWire struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	SelfURI string `json:"selfUri"`
}

// usersSearchResponseWire is UsersSearchResponse; results is always an array.
type usersSearchResponseWire struct {
	Total       int        `json:"total"`
	PageCount   int        `json:"pageCount"`
	PageSize    int        `json:"pageSize"`
	PageNumber  int        `json:"pageNumber"`
	CurrentPage string     `json:"currentPage,omitempty"`
	Types       []string   `json:"types"`
	Results     []userWire `json:"results"`
}
