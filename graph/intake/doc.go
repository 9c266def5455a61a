// Package intake is how new clients arrive by themselves through intake
// forms (policy §6, new clients; §11, anonymous submissions): checking a
// form's questions and rules as staff define them, checking a submitter's
// answers against the form, routing the new client to a practitioner, and
// writing the client, its assignment history and its FormResponse in one
// transaction. The GraphQL resolvers and the server's own form pages both
// call it, so the two paths cannot differ.
package intake
