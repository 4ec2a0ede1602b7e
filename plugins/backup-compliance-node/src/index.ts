/**
 * Extension points of the Backup Compliance backend plugin (custom checks,
 * custom resource locators). They arrive with the compliance engine; this
 * package exists now so adopters can depend on its final name.
 *
 * @packageDocumentation
 */

export {};
