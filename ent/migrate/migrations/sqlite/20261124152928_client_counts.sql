-- Create "client_counts" table
CREATE TABLE `client_counts` (`id` text NOT NULL, `clients` integer NOT NULL, `unrestricted` integer NOT NULL, PRIMARY KEY (`id`));
