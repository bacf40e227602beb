#!/usr/bin/perl
# Every golden JSON goes through our libxl and comes out identical:
# libxl_domain_config_from_json, then libxl_domain_config_to_json
# (json-roundtrip.c, built against our libxl.h and libxenlight).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use Test::More;
use Cases;

my $prog = "$Cases::DIR/json-roundtrip";
plan skip_all => "$prog not built" unless -x $prog;
my @goldens = sort glob("$Cases::DIR/golden/*.json");
plan tests => 2 * @goldens;

for my $g (@goldens) {
    my $name = (split m{/}, $g)[-1];
    my ($st, $out, $err) = Cases::run(undef, $prog, $g);
    is($st, 0, "$name: parses") or diag($err);
    is($out, Cases::slurp($g), "$name: regenerates identically");
}
