// Package rule is the access policy (docs/access-policy.md) in code.
//
// Each rule of policy §3 has its own file, named after what it decides, that
// holds both halves of the rule: the SQL predicate that makes the database
// return only the clients it reaches (row level), and the level it gives on a
// client whose facts are known (for field levels and viewerAccess). The
// differential test checks both halves against a plain model of the policy.
//
// Privacy rules follow Ent's examples: AllowIfX only allows, DenyIfX only
// denies, FilterX narrows a query; each returns privacy.Skip unless it
// decides. DecideX rules answer a write both ways (allowed, hidden, or
// refused with a reason) because one decision gives all three answers.
package rule
