package org.convrouter; public class Main { public static void main(String[] a){} }
